//! Where each policy statement is written in a Terraform file: the line and
//! column a finding points at, in the text output, `--format json` and
//! SARIF.
//!
//! `src/read/` turns a file into the model and drops positions, which is
//! right for rendering and diffing; lint needs them back. This module
//! tokenizes the HCL text (strings, heredocs and comments skipped as
//! wholes), finds the block (`resource "aws_iam_policy" "name"`), the
//! policy argument in it, and inside its value each element of the
//! `Statement` list, whether written as a `jsonencode({...})` object or as
//! JSON in a heredoc. In an `aws_iam_policy_document` data source, each
//! `statement` block. A statement it cannot place (a policy held in a
//! variable, JSON in a quoted string) points at the argument instead.

use std::path::Path;

use crate::read::line_column;

/// A place in a file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Identifier(&'a str),
    /// A quoted string's raw content, without the quotes.
    Text(&'a str),
    /// A heredoc's body, and its byte offset.
    Heredoc(&'a str, usize),
    Punct(char),
}

/// Splits HCL (or JSON, which is close enough for this) into tokens with
/// their byte offsets.
fn tokenize(text: &str) -> Vec<(Token<'_>, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        match byte {
            b'#' => at = end_of_line(text, at),
            b'/' if bytes.get(at + 1) == Some(&b'/') => at = end_of_line(text, at),
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at = text[at + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |end| at + end + 4);
            }
            b'"' => {
                let start = at + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                let end = end.min(bytes.len());
                found.push((Token::Text(&text[start..end]), at));
                at = end + 1;
            }
            b'<' if text[at..].starts_with("<<") => {
                let marker_start = at + 2 + usize::from(bytes.get(at + 2) == Some(&b'-'));
                let line_end = end_of_line(text, at);
                let marker = text[marker_start..line_end].trim();
                let body_start = (line_end + 1).min(bytes.len());
                let mut body_end = body_start;
                let mut next = body_start;
                for line in text[body_start..].split_inclusive('\n') {
                    if line.trim() == marker {
                        body_end = next;
                        next += line.len();
                        break;
                    }
                    next += line.len();
                    body_end = next;
                }
                found.push((Token::Heredoc(&text[body_start..body_end], body_start), at));
                at = next.max(at + 2);
            }
            byte if byte.is_ascii_alphabetic() || byte == b'_' => {
                let start = at;
                while at < bytes.len()
                    && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'_' || bytes[at] == b'-')
                {
                    at += 1;
                }
                found.push((Token::Identifier(&text[start..at]), start));
            }
            byte if byte.is_ascii_whitespace() || byte.is_ascii_digit() => at += 1,
            _ => {
                let character = text[at..].chars().next().unwrap_or(' ');
                found.push((Token::Punct(character), at));
                at += character.len_utf8();
            }
        }
    }
    found
}

fn end_of_line(text: &str, from: usize) -> usize {
    text[from..].find('\n').map_or(text.len(), |end| from + end)
}

fn opens(token: &Token<'_>) -> bool {
    matches!(token, Token::Punct('{' | '[' | '('))
}

fn closes(token: &Token<'_>) -> bool {
    matches!(token, Token::Punct('}' | ']' | ')'))
}

/// Where a policy argument and its statements are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyPlace {
    /// The argument (`policy = ...`), or the data source block.
    pub argument: Position,
    /// Each statement in order; may be shorter than the document's list.
    pub statements: Vec<Position>,
}

impl PolicyPlace {
    /// The place of the statement at this 0-based index, else the argument.
    pub fn statement(&self, index: usize) -> Position {
        self.statements.get(index).copied().unwrap_or(self.argument)
    }
}

/// Finds `kind "type" "name" { ... argument = ... }` in an HCL file.
/// `argument` `None` is an `aws_iam_policy_document` data source, whose
/// statements are its `statement` blocks.
pub fn locate(
    text: &str,
    kind: &str,
    labels: &[&str],
    argument: Option<&str>,
) -> Option<PolicyPlace> {
    let tokens = tokenize(text);
    let position = |offset: usize| {
        let (line, column) = line_column(text, offset);
        Position { line, column }
    };
    let header = tokens.windows(labels.len() + 2).position(|window| {
        window[0].0 == Token::Identifier(kind)
            && labels
                .iter()
                .zip(&window[1..])
                .all(|(label, (token, _))| *token == Token::Text(label))
            && window[labels.len() + 1].0 == Token::Punct('{')
    })?;
    let body_start = header + labels.len() + 2;
    // The block's direct children: (token index, depth 1 inside the block).
    let mut depth = 1;
    let mut children = Vec::new();
    for (index, (token, _)) in tokens.iter().enumerate().skip(body_start) {
        if depth == 1 {
            children.push(index);
        }
        if opens(token) {
            depth += 1;
        } else if closes(token) {
            depth -= 1;
            if depth == 0 {
                break;
            }
        }
    }
    let Some(argument) = argument else {
        let statements = children
            .iter()
            .filter(|index| tokens[**index].0 == Token::Identifier("statement"))
            .filter(|index| tokens.get(**index + 1).map(|t| &t.0) == Some(&Token::Punct('{')))
            .map(|index| position(tokens[*index].1))
            .collect();
        return Some(PolicyPlace {
            argument: position(tokens[header].1),
            statements,
        });
    };
    let name = *children.iter().find(|index| {
        tokens[**index].0 == Token::Identifier(argument)
            && tokens.get(**index + 1).map(|t| &t.0) == Some(&Token::Punct('='))
    })?;
    let value_start = name + 2;
    let statements = match tokens.get(value_start) {
        Some((Token::Heredoc(body, offset), _)) => statement_offsets(&tokenize(body), 0)
            .into_iter()
            .map(|at| offset + at)
            .collect(),
        _ => statement_offsets(&tokens, value_start),
    };
    Some(PolicyPlace {
        argument: position(tokens[name].1),
        statements: statements.into_iter().map(position).collect(),
    })
}

/// The statements of a standalone JSON policy document.
pub fn locate_json(text: &str) -> PolicyPlace {
    let position = |offset: usize| {
        let (line, column) = line_column(text, offset);
        Position { line, column }
    };
    PolicyPlace {
        argument: Position { line: 1, column: 1 },
        statements: statement_offsets(&tokenize(text), 0)
            .into_iter()
            .map(position)
            .collect(),
    }
}

/// Finds the policy a lint field names (`aws_iam_policy.NAME.policy`,
/// `data.aws_iam_policy_document.NAME`) in one of `files`: which file, and
/// where.
pub fn locate_field<'a>(
    files: impl IntoIterator<Item = (&'a Path, &'a str)>,
    field: &str,
) -> Option<(&'a Path, PolicyPlace)> {
    let parts: Vec<&str> = field.split('.').collect();
    let (kind, labels, argument) = match parts.as_slice() {
        ["data", kind, name] => ("data", vec![*kind, *name], None),
        [kind, name, argument] => ("resource", vec![*kind, *name], Some(*argument)),
        _ => return None,
    };
    files
        .into_iter()
        .find_map(|(path, text)| locate(text, kind, &labels, argument).map(|place| (path, place)))
}

/// The offsets of the `{` of each element of the first `Statement` list
/// (or the single `Statement` object) after token `start`, within the value
/// that starts there.
fn statement_offsets(tokens: &[(Token<'_>, usize)], start: usize) -> Vec<usize> {
    let mut depth = 0;
    for index in start..tokens.len() {
        let token = &tokens[index].0;
        let is_key = matches!(
            token,
            Token::Identifier("Statement") | Token::Text("Statement")
        );
        let assigned = matches!(
            tokens.get(index + 1).map(|t| &t.0),
            Some(Token::Punct('=' | ':'))
        );
        if is_key && assigned {
            return match tokens.get(index + 2) {
                Some((Token::Punct('['), _)) => list_elements(tokens, index + 2),
                Some((Token::Punct('{'), offset)) => vec![*offset],
                _ => Vec::new(),
            };
        }
        if opens(token) {
            depth += 1;
        } else if closes(token) {
            depth -= 1;
            if depth <= 0 {
                break; // the value ended without a Statement
            }
        }
    }
    Vec::new()
}

/// The offsets of the `{` elements directly inside the list opened at
/// token `open`.
fn list_elements(tokens: &[(Token<'_>, usize)], open: usize) -> Vec<usize> {
    let mut depth = 0;
    let mut elements = Vec::new();
    for (token, offset) in &tokens[open..] {
        if depth == 1 && *token == Token::Punct('{') {
            elements.push(*offset);
        }
        if opens(token) {
            depth += 1;
        } else if closes(token) {
            depth -= 1;
            if depth == 0 {
                break;
            }
        }
    }
    elements
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn jsonencode_statements_are_placed_at_their_braces() {
        let text = "\
resource \"aws_iam_policy\" \"other\" {
  policy = jsonencode({ Statement = [{ Action = \"s3:*\" }] })
}

resource \"aws_iam_policy\" \"p\" {
  name = \"x # not a comment\"
  policy = jsonencode({
    Version = \"2012-10-17\"
    Statement = [
      {
        Action = [\"s3:GetObject\"] # {
      },
      { Action = \"iam:PassRole\", Condition = { A = { B = [\"c\"] } } },
    ]
  })
}
";
        let place = locate(text, "resource", &["aws_iam_policy", "p"], Some("policy")).unwrap();
        assert_eq!(place.argument, at(7, 3));
        assert_eq!(place.statements, [at(10, 7), at(13, 7)]);
        assert_eq!(place.statement(5), at(7, 3));
    }

    #[test]
    fn heredoc_json_and_policy_document_blocks_are_placed() {
        let text = "\
resource \"aws_iam_role\" \"r\" {
  assume_role_policy = <<-EOF
    {
      \"Statement\": [
        {\"Effect\": \"Allow\"},
        {\"Effect\": \"Deny\"}
      ]
    }
  EOF
}

data \"aws_iam_policy_document\" \"d\" {
  statement {
    actions = [\"s3:GetObject\"]
  }
  statement {
    actions = [\"s3:PutObject\"]
  }
}
";
        let role = locate(
            text,
            "resource",
            &["aws_iam_role", "r"],
            Some("assume_role_policy"),
        );
        assert_eq!(role.unwrap().statements, [at(5, 9), at(6, 9)]);
        let data = locate(text, "data", &["aws_iam_policy_document", "d"], None).unwrap();
        assert_eq!(data.argument, at(12, 1));
        assert_eq!(data.statements, [at(13, 3), at(16, 3)]);
        assert_eq!(
            locate(text, "resource", &["aws_iam_role", "nope"], None),
            None
        );
    }
}
