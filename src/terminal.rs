//! Text from values and file names made safe to show on a terminal or in a
//! pull-request comment: a value in a reviewed file must not be able to
//! move the cursor, clear the screen or recolour the report that reviews it.

use std::borrow::Cow;
use std::fmt::Write;
use std::path::Path;

/// `text` with every control character except newline and tab written as
/// `\u{..}` (ESC becomes `\u{1b}`), so it prints as itself.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// `text` on one line: like [`escape_controls`], and newline, carriage
/// return and tab written as `\n`, `\r`, `\t` too.
pub fn escape_line(text: &str) -> String {
    escape(text, true).into_owned()
}

fn escape(text: &str, one_line: bool) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    // What is copied as it is ends at `kept`; bytes are read one by one,
    // which is safe in UTF-8: no continuation byte looks like a character
    // escaped here.
    let mut kept = 0;
    let mut index = 0;
    while index < bytes.len() {
        if index % 8 == 0 && bytes.len() - index >= 8 && !may_escape(&bytes[index..index + 8]) {
            index += 8;
            continue;
        }
        let Some(length) = unsafe_length(&bytes[index..], one_line) else {
            index += 1;
            continue;
        };
        out.reserve(text.len() - kept + 16);
        out.push_str(&text[kept..index]);
        match bytes[index] {
            b'\n' => out.push_str("\\n"),
            b'\r' if one_line => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                let character = text[index..].chars().next().unwrap_or_default();
                let _ = write!(out, "\\u{{{:x}}}", character as u32);
            }
        }
        index += length;
        kept = index;
    }
    if kept == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[kept..]);
    Cow::Owned(out)
}

/// Whether any of 8 bytes may start a character to escape: one below
/// 0x20, 0x7f, 0xc2 or 0xe2 (the bytes as one word, tested all at once).
fn may_escape(chunk: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
    let below = |word: u64, bound: u64| word.wrapping_sub(ONES * bound) & !word & HIGHS;
    let equal = |byte: u64| below(word ^ (ONES * byte), 1);
    below(word, 0x20) | equal(0x7f) | equal(0xc2) | equal(0xe2) != 0
}

/// The length in bytes of the character at the start of `bytes` when it
/// is one to escape: a control character (newline and tab only on one
/// line), DEL, a C1 control (U+0080..U+009F) or a bidirectional override
/// or isolate (U+202A..U+202E, U+2066..U+2069), which reorder what a
/// reviewer sees.
fn unsafe_length(bytes: &[u8], one_line: bool) -> Option<usize> {
    match bytes {
        [b'\n' | b'\t', ..] => one_line.then_some(1),
        [0..=0x1f | 0x7f, ..] => Some(1),
        [0xc2, 0x80..=0x9f, ..] => Some(2),
        [0xe2, 0x80, 0xaa..=0xae, ..] | [0xe2, 0x81, 0xa6..=0xa9, ..] => Some(3),
        _ => None,
    }
}

/// A path for a message: controls escaped, and bytes that are not UTF-8
/// written as `\xNN` instead of being silently replaced.
pub fn display_path(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(&escape_controls(chunk.valid()));
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_newlines_kept() {
        assert_eq!(escape_controls("a\x1b[2Jb\nc\td"), "a\\u{1b}[2Jb\nc\td");
        assert_eq!(escape_controls("\u{202e}x"), "\\u{202e}x");
        assert!(matches!(escape_controls("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn a_line_stays_one_line() {
        assert_eq!(escape_line("a\nb\tc\x1b"), "a\\nb\\tc\\u{1b}");
        assert_eq!(escape_line("a\r\nb"), "a\\r\\nb");
        // C1 controls and bidirectional controls (0xc2 and 0xe2 lead bytes),
        // and text that only shares their lead byte.
        assert_eq!(escape_line("\u{85}\u{2066}é—"), "\\u{85}\\u{2066}é—");
    }

    #[test]
    fn exactly_controls_and_bidirectional_controls_are_escaped() {
        for code in (0..0x3000).chain(0xfff0..0x1_0010) {
            let Some(character) = char::from_u32(code) else {
                continue;
            };
            let escaped = (character.is_control() && character != '\n' && character != '\t')
                || matches!(character, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            // At every offset in a word of 8 bytes, which is read whole.
            for pad in 0..8 {
                let before = "abcdefgh".get(..pad).unwrap_or_default();
                let text = format!("{before}{character}abcdefghi");
                let expected = match escaped {
                    true => format!("{before}\\u{{{code:x}}}abcdefghi"),
                    false => text.clone(),
                };
                assert_eq!(escape_controls(&text), expected, "U+{code:04X} at {pad}");
            }
        }
    }

    #[test]
    fn paths_show_bytes_that_are_not_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"out/b\xff.tf"));
        assert_eq!(display_path(path), "out/b\\xff.tf");
    }
}
