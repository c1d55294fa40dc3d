//! Finding one byte in a text, eight bytes at a time: lint splits every
//! ARN of every statement at its colons, and `str::find` with a `char` sets
//! up a general search for each call, which costs more than these short
//! parts.

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
}
