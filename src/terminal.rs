//! Text from values and file names made safe to show on a terminal or in a
//! pull-request comment: a value in a reviewed file must not be able to
//! move the cursor, clear the screen or recolour the report that reviews it.

use std::borrow::Cow;
use std::fmt::Write;
use std::path::Path;

/// `text` with every control character except newline and tab written as
/// `\u{..}` (ESC becomes `\u{1b}`), so it prints as itself.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for character in text.chars() {
        if is_unsafe(character) {
            let _ = write!(out, "\\u{{{:x}}}", character as u32);
        } else {
            out.push(character);
        }
    }
    Cow::Owned(out)
}

/// `text` on one line: like [`escape_controls`], and newline, carriage
/// return and tab written as `\n`, `\r`, `\t` too.
pub fn escape_line(text: &str) -> String {
    escape_controls(text)
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

fn is_unsafe(character: char) -> bool {
    (character.is_control() && character != '\n' && character != '\t')
        // Bidirectional overrides and isolates reorder what a reviewer sees.
        || matches!(character, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
    }

    #[test]
    fn paths_show_bytes_that_are_not_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"out/b\xff.tf"));
        assert_eq!(display_path(path), "out/b\\xff.tf");
    }
}
