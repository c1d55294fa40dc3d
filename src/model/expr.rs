//! Terraform expressions: the values on the right of `=`.
//!
//! Only the forms a generator needs are modelled: literals, string templates
//! with interpolations, references, function calls, lists and objects. Each
//! printer decides how a form is spelled in its syntax.

use serde_json::Number;

/// The longest line [`Expr::commented`] writes, not counting the `#`.
pub const COMMENT_WIDTH: usize = 72;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Null,
    Bool(bool),
    Number(Number),
    /// A string taken literally: a `${` inside it is text, not an interpolation.
    String(String),
    /// A string template: literal text and `${...}` interpolations.
    Template(Vec<TemplatePart>),
    /// A reference such as `var.env` or `aws_iam_role.tf_mlops_role.name`.
    Reference(Vec<String>),
    /// A function call such as `jsonencode({...})`.
    Call(String, Vec<Expr>),
    List(Vec<Expr>),
    /// An object constructor; keys keep their order.
    Object(Vec<(ObjectKey, Expr)>),
    /// A value with comment lines that stand above it where it is an item of
    /// a list or the value of an object entry (why an IAM statement grants
    /// `*`). The HCL printer writes them; JSON has no comments, so the JSON
    /// printer and `jsonencode` see only the value, and so does everything
    /// that evaluates. Each line holds the text after `#`, verbatim.
    Commented(Vec<String>, Box<Expr>),
}

/// An object key. Keys are always literal strings in what tfgen generates.
pub type ObjectKey = String;

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Literal(String),
    Interpolation(Expr),
}

impl Expr {
    /// A reference from its dotted form: `Expr::reference("var.env")`.
    pub fn reference(dotted: &str) -> Expr {
        Expr::Reference(dotted.split('.').map(str::to_string).collect())
    }

    /// A string template written the way Terraform users write one:
    /// `"tf-mlops-role-${var.env}-1007"`. Interpolations may hold references
    /// only; `$${` stands for a literal `${`. A string without interpolation
    /// becomes a plain literal, so `interpolated("a")` equals `Expr::from("a")`,
    /// and one that is a single interpolation becomes that reference.
    pub fn interpolated(text: &str) -> Expr {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(position) = find_introducer(rest, b'$') {
            let escaped = position > 0 && rest.as_bytes()[position - 1] == b'$';
            if escaped {
                literal.push_str(&rest[..position - 1]);
                literal.push_str("${");
                rest = &rest[position + 2..];
                continue;
            }
            let Some(close) = rest[position..].find('}') else {
                break;
            };
            literal.push_str(&rest[..position]);
            if !literal.is_empty() {
                parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
            }
            let inner = &rest[position + 2..position + close];
            parts.push(TemplatePart::Interpolation(Expr::reference(inner.trim())));
            rest = &rest[position + close + 1..];
        }
        literal.push_str(rest);
        if parts.is_empty() {
            return Expr::String(literal);
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Literal(literal));
        }
        // `"${aws_s3_bucket.b.arn}"` is written as the bare reference, the
        // form `terraform fmt` users expect.
        if let [TemplatePart::Interpolation(only)] = parts.as_slice() {
            return only.clone();
        }
        Expr::Template(parts)
    }

    /// What `templatefile(path, vars)` makes of a template's `text`, as an
    /// expression: `${name}` becomes the value of `name` in `vars` (a
    /// string is spliced in as text, a template's parts as its parts),
    /// `$${` and `%%{` the literal `${` and `%{`. Only what a file of plain
    /// substitutions uses is supported: an interpolation of anything but a
    /// name of `vars`, or a `%{` directive, is an error naming it.
    pub fn templatefile(text: &str, vars: &[(&str, Expr)]) -> Result<Expr, String> {
        let mut parts: Vec<TemplatePart> = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        loop {
            let next = rest.find(['$', '%']);
            let Some(position) = next else {
                literal.push_str(rest);
                break;
            };
            let (head, tail) = rest.split_at(position);
            literal.push_str(head);
            let sigil = &tail[..1];
            let after = &tail[1..];
            if after.starts_with(sigil) && after[1..].starts_with('{') {
                // `$${` or `%%{`: the marker as text.
                literal.push_str(sigil);
                literal.push('{');
                rest = &after[2..];
                continue;
            }
            if !after.starts_with('{') {
                literal.push_str(sigil);
                rest = after;
                continue;
            }
            if sigil == "%" {
                return Err(
                    "a %{ directive (templatefile's if or for), which is not supported".into(),
                );
            }
            let Some(close) = after.find('}') else {
                return Err("a ${ without its closing }".into());
            };
            let name = after[1..close].trim();
            let Some((_, value)) = vars.iter().find(|(var, _)| *var == name) else {
                return Err(format!(
                    "${{{name}}}, which is not one of the variables given"
                ));
            };
            match value {
                Expr::String(text) => literal.push_str(text),
                Expr::Template(inner) => {
                    for part in inner {
                        match part {
                            TemplatePart::Literal(text) => literal.push_str(text),
                            interpolation => {
                                if !literal.is_empty() {
                                    parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                                }
                                parts.push(interpolation.clone());
                            }
                        }
                    }
                }
                other => {
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(TemplatePart::Interpolation(other.clone()));
                }
            }
            rest = &after[close + 1..];
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Literal(literal));
        }
        Ok(match parts.as_slice() {
            [] => Expr::String(String::new()),
            [TemplatePart::Literal(text)] => Expr::String(text.clone()),
            _ => Expr::Template(parts),
        })
    }

    /// `jsonencode(value)`.
    pub fn jsonencode(value: Expr) -> Expr {
        Expr::Call("jsonencode".to_string(), vec![value])
    }

    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Expr)>) -> Expr {
        Expr::Object(
            entries
                .into_iter()
                .map(|(key, value)| (key.into(), value))
                .collect(),
        )
    }

    pub fn list(items: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::List(items.into_iter().collect())
    }

    /// `value` with a prose comment above it (`# text`), broken into lines
    /// of at most [`COMMENT_WIDTH`] characters at spaces.
    pub fn commented(text: &str, value: Expr) -> Expr {
        Expr::Commented(comment_lines(text), Box::new(value))
    }

    /// The value without its comments, at this level.
    pub fn uncommented(&self) -> &Expr {
        match self {
            Expr::Commented(_, value) => value.uncommented(),
            value => value,
        }
    }

    /// The expression with every comment removed, at every depth: what
    /// reading a rendered file back gives, and what `diff` compares.
    pub fn without_comments(&self) -> Expr {
        match self {
            Expr::Commented(_, value) => value.without_comments(),
            Expr::Call(name, args) => Expr::Call(
                name.clone(),
                args.iter().map(Expr::without_comments).collect(),
            ),
            Expr::List(items) => Expr::List(items.iter().map(Expr::without_comments).collect()),
            Expr::Object(entries) => Expr::Object(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), value.without_comments()))
                    .collect(),
            ),
            Expr::Template(parts) => Expr::Template(
                parts
                    .iter()
                    .map(|part| match part {
                        TemplatePart::Interpolation(inner) => {
                            TemplatePart::Interpolation(inner.without_comments())
                        }
                        literal => literal.clone(),
                    })
                    .collect(),
            ),
            Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::String(_) | Expr::Reference(_) => {
                self.clone()
            }
        }
    }

    pub fn as_literal(&self) -> Option<&str> {
        match self {
            Expr::String(text) => Some(text),
            Expr::Commented(_, value) => value.as_literal(),
            _ => None,
        }
    }

    /// True when the value is known without evaluating anything: no
    /// references, templates or function calls inside.
    pub fn is_constant(&self) -> bool {
        match self {
            Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::String(_) => true,
            Expr::Template(_) | Expr::Reference(_) | Expr::Call(..) => false,
            Expr::List(items) => items.iter().all(Expr::is_constant),
            Expr::Object(entries) => entries.iter().all(|(_, value)| value.is_constant()),
            Expr::Commented(_, value) => value.is_constant(),
        }
    }

    /// Evaluates a string-valued expression, resolving references through
    /// `resolve`. `None` when a reference is unknown or the value is not a
    /// string. Used to check concrete names such as `tf-mlops-role-prod-1007`.
    pub fn evaluate_string(&self, resolve: &dyn Fn(&[String]) -> Option<String>) -> Option<String> {
        match self {
            Expr::String(text) => Some(text.clone()),
            Expr::Reference(path) => resolve(path),
            Expr::Template(parts) => {
                let mut out = String::new();
                for part in parts {
                    match part {
                        TemplatePart::Literal(text) => out.push_str(text),
                        TemplatePart::Interpolation(expr) => {
                            out.push_str(&expr.evaluate_string(resolve)?)
                        }
                    }
                }
                Some(out)
            }
            Expr::Commented(_, value) => value.evaluate_string(resolve),
            _ => None,
        }
    }

    /// The expression with every string-valued template and reference that
    /// `resolve` knows replaced by its text; the rest is kept as it is.
    pub fn substitute(&self, resolve: &dyn Fn(&[String]) -> Option<String>) -> Expr {
        match self {
            Expr::Template(_) | Expr::Reference(_) => match self.evaluate_string(resolve) {
                Some(text) => Expr::String(text),
                None => self.clone(),
            },
            Expr::Call(name, args) => Expr::Call(
                name.clone(),
                args.iter().map(|arg| arg.substitute(resolve)).collect(),
            ),
            Expr::List(items) => {
                Expr::List(items.iter().map(|item| item.substitute(resolve)).collect())
            }
            Expr::Object(entries) => Expr::Object(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), value.substitute(resolve)))
                    .collect(),
            ),
            Expr::Commented(comments, value) => {
                Expr::Commented(comments.clone(), Box::new(value.substitute(resolve)))
            }
            Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::String(_) => self.clone(),
        }
    }

    /// Every reference inside the expression, in order of appearance.
    pub fn references(&self) -> Vec<&[String]> {
        let mut found = Vec::new();
        self.collect_references(&mut found);
        found
    }

    fn collect_references<'a>(&'a self, found: &mut Vec<&'a [String]>) {
        match self {
            Expr::Reference(path) => found.push(path),
            Expr::Template(parts) => {
                for part in parts {
                    if let TemplatePart::Interpolation(expr) = part {
                        expr.collect_references(found);
                    }
                }
            }
            Expr::Call(_, args) | Expr::List(args) => {
                for arg in args {
                    arg.collect_references(found);
                }
            }
            Expr::Object(entries) => {
                for (_, value) in entries {
                    value.collect_references(found);
                }
            }
            Expr::Commented(_, value) => value.collect_references(found),
            Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::String(_) => {}
        }
    }
}

impl From<&str> for Expr {
    fn from(text: &str) -> Self {
        Expr::String(text.to_string())
    }
}

impl From<String> for Expr {
    fn from(text: String) -> Self {
        Expr::String(text)
    }
}

impl From<bool> for Expr {
    fn from(value: bool) -> Self {
        Expr::Bool(value)
    }
}

impl From<i64> for Expr {
    fn from(value: i64) -> Self {
        Expr::Number(Number::from(value))
    }
}

/// Prose as comment lines of at most [`COMMENT_WIDTH`] characters, broken
/// at spaces, each with the space that follows `#`.
pub fn comment_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= COMMENT_WIDTH => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(format!(" {word}")),
        }
    }
    lines
}

/// Where `${` (for `sigil` `$`) or `%{` starts in `text`: a byte scan,
/// cheaper than a substring search for the short strings a stack is made of.
pub(crate) fn find_introducer(text: &str, sigil: u8) -> Option<usize> {
    text.as_bytes()
        .windows(2)
        .position(|pair| pair[0] == sigil && pair[1] == b'{')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolated_splits_literals_and_references() {
        assert_eq!(
            Expr::interpolated("tf-mlops-role-${var.env}-1007"),
            Expr::Template(vec![
                TemplatePart::Literal("tf-mlops-role-".into()),
                TemplatePart::Interpolation(Expr::reference("var.env")),
                TemplatePart::Literal("-1007".into()),
            ])
        );
        assert_eq!(Expr::interpolated("plain"), Expr::from("plain"));
        assert_eq!(Expr::interpolated("a$${b}"), Expr::from("a${b}"));
        assert_eq!(
            Expr::interpolated("${aws_s3_bucket.artifacts_bucket.arn}/*"),
            Expr::Template(vec![
                TemplatePart::Interpolation(Expr::reference("aws_s3_bucket.artifacts_bucket.arn")),
                TemplatePart::Literal("/*".into()),
            ])
        );
    }

    #[test]
    fn templatefile_substitutes_names_and_keeps_escapes_as_text() {
        let vars = [
            ("BUCKET", Expr::reference("var.bucket")),
            ("ID", Expr::interpolated("${var.name}-${var.id}")),
            ("PLAIN", Expr::from("p")),
        ];
        assert_eq!(
            Expr::templatefile(
                "s3://${BUCKET}/${ ID } $${HOME} %%{x} 100% $PLAIN ${PLAIN}\n",
                &vars
            ),
            Ok(Expr::Template(vec![
                TemplatePart::Literal("s3://".into()),
                TemplatePart::Interpolation(Expr::reference("var.bucket")),
                TemplatePart::Literal("/".into()),
                TemplatePart::Interpolation(Expr::reference("var.name")),
                TemplatePart::Literal("-".into()),
                TemplatePart::Interpolation(Expr::reference("var.id")),
                TemplatePart::Literal(" ${HOME} %{x} 100% $PLAIN p\n".into()),
            ]))
        );
        assert_eq!(Expr::templatefile("$x", &vars), Ok(Expr::from("$x")));
        assert!(
            Expr::templatefile("${OTHER}", &vars)
                .unwrap_err()
                .contains("${OTHER}")
        );
        assert!(Expr::templatefile("%{ if x }", &vars).is_err());
    }

    #[test]
    fn evaluate_string_resolves_references() {
        let name = Expr::interpolated("tf-mlops-role-${var.env}-1007");
        let resolve = |path: &[String]| (path == ["var", "env"]).then(|| "prod".to_string());
        assert_eq!(
            name.evaluate_string(&resolve).as_deref(),
            Some("tf-mlops-role-prod-1007")
        );
        let unknown = Expr::reference("var.other");
        assert_eq!(unknown.evaluate_string(&resolve), None);
    }
}
