//! Finding one byte in lint's texts, eight bytes at a time: the IAM
//! catalogue is read in place, so a lookup is mostly a search for the next
//! newline or tab, and every ARN is split at its colons. `str::find` with a
//! `char` sets up a general search for each call, which costs more than
//! these short lines and fields.

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const LOW_SEVEN: u64 = u64::from_ne_bytes([0x7f; 8]);

/// The position of the first `needle` in `haystack`.
pub(super) fn find_byte(haystack: &[u8], needle: u8) -> Option<usize> {
    let spread = ONES * u64::from(needle);
    let mut chunks = haystack.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ spread;
        // The high bit of each byte that is zero, that is, was `needle`;
        // exact for every byte, so the lowest one is the first match.
        let zero = !(((word & LOW_SEVEN) + LOW_SEVEN) | word | LOW_SEVEN);
        if zero != 0 {
            return Some(offset + zero.trailing_zeros() as usize / 8);
        }
        offset += 8;
    }
    let rest = chunks.remainder();
    rest.iter()
        .position(|byte| *byte == needle)
        .map(|position| offset + position)
}

/// The text before the first `separator` and the text after it.
pub(super) fn split_at_byte(text: &str, separator: u8) -> Option<(&str, &str)> {
    debug_assert!(separator.is_ascii(), "a char boundary on both sides");
    let at = find_byte(text.as_bytes(), separator)?;
    Some((&text[..at], &text[at + 1..]))
}

/// The lines of `text`, each without its newline (the last one may lack
/// it).
pub(super) fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, after) = split_at_byte(rest, b'\n').unwrap_or((rest, ""));
        rest = after;
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn finds_what_position_finds(
            haystack in proptest::collection::vec(prop::sample::select(vec![b'a', b'\n', b'\t', 0, 0x80, 0xff, 0x0a ^ 0x80]), 0..40),
            needle in prop::sample::select(vec![b'a', b'\n', b'\t', 0, 0xff]),
        ) {
            prop_assert_eq!(
                find_byte(&haystack, needle),
                haystack.iter().position(|byte| *byte == needle)
            );
        }
    }

    #[test]
    fn lines_are_split_at_newlines() {
        let lines: Vec<&str> = lines_of("a\tb\n\nlast line without one").collect();
        assert_eq!(lines, ["a\tb", "", "last line without one"]);
        assert_eq!(lines_of("").count(), 0);
        assert_eq!(
            split_at_byte("key\tvalue\tmore", b'\t'),
            Some(("key", "value\tmore"))
        );
    }
}
