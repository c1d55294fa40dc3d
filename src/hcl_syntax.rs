//! What every reader of HCL's native syntax (`tfgen.hcl` in [`crate::config`],
//! `.tf` files in [`crate::read`]) needs from hcl-edit in the same way: where
//! a syntax error is, and the name an object key spells. One place, so the
//! readers cannot disagree on a position or on which keys are names.

use hcl_edit::expr::{Expression, ObjectKey};

/// A syntax error's 1-based line and column, and its message as tfgen
/// words it (`syntax error: ...`).
pub fn syntax_error(error: &hcl_edit::parser::Error) -> (usize, usize, String) {
    let location = error.location();
    (
        location.line(),
        location.column(),
        format!("syntax error: {}", error.message()),
    )
}

/// The name an object key spells: a bare identifier or a quoted string
/// without interpolation. Any other expression as a key is handed back,
/// for the reader's error.
pub fn object_key_name(key: &ObjectKey) -> Result<String, &Expression> {
    match key {
        ObjectKey::Ident(ident) => Ok(ident.as_str().to_string()),
        ObjectKey::Expression(Expression::String(text)) => Ok(text.value().clone()),
        ObjectKey::Expression(other) => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_have_their_line_and_column() {
        let error = hcl_edit::parser::parse_body("a = 1\nb = = 2\n").unwrap_err();
        let (line, column, message) = syntax_error(&error);
        assert_eq!((line, column), (2, 5));
        assert!(message.starts_with("syntax error: "), "{message}");
    }

    #[test]
    fn keys_are_names_or_plain_strings() {
        let body = hcl_edit::parser::parse_body("x = { a = 1, \"b:c\" = 2, (k) = 3 }\n").unwrap();
        let attribute = body.attributes().next().unwrap();
        let Expression::Object(object) = &attribute.value else {
            panic!("an object")
        };
        let names: Vec<Option<String>> = object
            .iter()
            .map(|(key, _)| object_key_name(key).ok())
            .collect();
        assert_eq!(names, [Some("a".into()), Some("b:c".into()), None]);
    }
}
