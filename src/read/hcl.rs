//! `.tf` files back into the model, through hcl-edit.
//!
//! hcl-edit keeps byte spans, so anything the model cannot hold is reported
//! at its line and column. Comments are kept where the model has a place
//! for them: the file's leading comment lines followed by a blank line are
//! the [`Document::header`], comment lines above a top-level block are its
//! [`Block::comments`], and comment lines inside a body (above an item or
//! before the closing brace) are [`BodyItem::Comment`]s. Only `#` and `//`
//! line comments are kept; `/* */` comments and comments at the end of a
//! line are dropped. [`super::normalize`] drops all comments anyway: they
//! carry no meaning for a comparison.

use hcl_edit::expr::{Expression, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Body as HclBody, Structure};
use hcl_edit::template::{Element, Strip};
use hcl_edit::{Decorate, Span};

use super::{ReadError, template_from_parts};
use crate::hcl_syntax::object_key_name;
use crate::model::{Attribute, Block, Body, BodyItem, Document, Expr, TemplatePart};

/// Parses the text of a `.tf` file.
pub fn parse(text: &str) -> Result<Document, ReadError> {
    let body = hcl_edit::parser::parse_body(text).map_err(syntax_error)?;
    let reader = Reader { text };
    let mut header = Vec::new();
    let mut blocks = Vec::new();
    for (index, structure) in body.iter().enumerate() {
        let mut comments = comment_lines(structure.decor().prefix().map(|raw| &**raw));
        if index == 0 {
            header = split_header(structure.decor().prefix().map(|raw| &**raw));
            comments.drain(..header.len());
        }
        match structure {
            Structure::Block(block) => {
                let mut block = reader.block(block)?;
                block.comments = comments;
                blocks.push(block);
            }
            Structure::Attribute(attribute) => {
                return Err(reader.error(
                    attribute,
                    format!(
                        "attribute `{}` outside any block: a Terraform file holds blocks only",
                        attribute.key.as_str()
                    ),
                ));
            }
        }
    }
    if body.is_empty() {
        // A file of comments only: all of them are the header.
        header = comment_lines(body.decor().suffix().map(|raw| &**raw))
            .into_iter()
            .map(|line| line.strip_prefix(' ').map(str::to_string).unwrap_or(line))
            .collect();
    }
    Ok(Document { header, blocks })
}

/// Parses one expression written in HCL's native syntax, such as the inside
/// of a `${...}` interpolation in a JSON string.
pub fn parse_expression(text: &str) -> Result<Expr, ReadError> {
    let expression = hcl_edit::parser::parse_expr(text).map_err(syntax_error)?;
    Reader { text }.expr(&expression)
}

/// Parses the text of a string template without its quotes (`a${b}c`), as
/// Terraform reads every string of the JSON syntax: `$${` and `%%{` are
/// literal `${` and `%{`, and backslashes are plain text. A lone
/// interpolation (`${var.env}`) is its expression, as Terraform evaluates it.
pub fn parse_template(text: &str) -> Result<Expr, ReadError> {
    let template = hcl_edit::parser::parse_template(text).map_err(syntax_error)?;
    let reader = Reader { text };
    let parts = reader.elements(template.iter())?;
    if let [TemplatePart::Interpolation(inner)] = parts.as_slice() {
        return Ok(inner.clone());
    }
    Ok(template_from_parts(parts))
}

/// A syntax error from hcl-edit, at its place.
fn syntax_error(error: hcl_edit::parser::Error) -> ReadError {
    let (line, column, message) = crate::hcl_syntax::syntax_error(&error);
    ReadError {
        line,
        column,
        message,
    }
}

/// The `#`/`//` comment lines of a decor prefix, each as the text after the
/// marker, verbatim.
fn comment_lines(prefix: Option<&str>) -> Vec<String> {
    prefix
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter_map(|line| {
            line.strip_prefix('#')
                .or_else(|| line.strip_prefix("//"))
                .map(str::to_string)
        })
        .collect()
}

/// The header: the comment lines at the very top of the file, when a blank
/// line separates them from what follows (as the HCL printer writes it).
/// Comment lines directly above the first block belong to that block.
/// Each line is the text after `# ` (the printer's `#` and one space).
fn split_header(prefix: Option<&str>) -> Vec<String> {
    let prefix = prefix.unwrap_or_default();
    let mut header = Vec::new();
    for line in prefix.lines().map(str::trim) {
        match line.strip_prefix('#').or_else(|| line.strip_prefix("//")) {
            Some(text) => header.push(text.strip_prefix(' ').unwrap_or(text).to_string()),
            None if line.is_empty() && !header.is_empty() => return header,
            None => return Vec::new(),
        }
    }
    Vec::new()
}

struct Reader<'a> {
    text: &'a str,
}

impl Reader<'_> {
    fn error(&self, item: &impl Span, message: String) -> ReadError {
        ReadError::at(self.text, item.span().map_or(0, |span| span.start), message)
    }

    fn block(&self, block: &hcl_edit::structure::Block) -> Result<Block, ReadError> {
        Ok(Block {
            kind: block.ident.as_str().to_string(),
            labels: block
                .labels
                .iter()
                .map(|label| label.as_str().to_string())
                .collect(),
            body: self.body(&block.body)?,
            comments: Vec::new(),
        })
    }

    fn body(&self, body: &HclBody) -> Result<Body, ReadError> {
        let mut items = Vec::new();
        for structure in body.iter() {
            let comments = comment_lines(structure.decor().prefix().map(|raw| &**raw));
            items.extend(comments.into_iter().map(BodyItem::Comment));
            match structure {
                Structure::Attribute(attribute) => items.push(BodyItem::Attribute(Attribute {
                    name: attribute.key.as_str().to_string(),
                    value: self.expr(&attribute.value)?,
                })),
                Structure::Block(block) => items.push(BodyItem::Block(self.block(block)?)),
            }
        }
        let trailing = comment_lines(body.decor().suffix().map(|raw| &**raw));
        items.extend(trailing.into_iter().map(BodyItem::Comment));
        Ok(Body { items })
    }

    fn expr(&self, expression: &Expression) -> Result<Expr, ReadError> {
        let unsupported = |what: &str| {
            Err(self.error(
                expression,
                format!("{what} cannot be read into tfgen's model (tfgen never writes one)"),
            ))
        };
        match expression {
            Expression::Null(_) => Ok(Expr::Null),
            Expression::Bool(value) => Ok(Expr::Bool(*value.value())),
            Expression::Number(number) => self.number(expression, number.value(), false),
            Expression::String(text) => Ok(Expr::String(text.value().clone())),
            Expression::Array(array) => Ok(Expr::List(
                array
                    .iter()
                    .map(|item| self.expr(item))
                    .collect::<Result<_, _>>()?,
            )),
            Expression::Object(object) => {
                let mut entries = Vec::new();
                for (key, value) in object.iter() {
                    let Ok(key) = object_key_name(key) else {
                        return Err(self.error(
                            key,
                            "an object key must be a name or a quoted string".into(),
                        ));
                    };
                    entries.push((key, self.expr(value.expr())?));
                }
                Ok(Expr::Object(entries))
            }
            Expression::StringTemplate(template) => {
                Ok(template_from_parts(self.elements(template.iter())?))
            }
            // A heredoc is read as the string it holds (lint reads policy
            // JSON written this way); indentation is kept as written.
            Expression::HeredocTemplate(heredoc) => {
                Ok(template_from_parts(self.elements(heredoc.template.iter())?))
            }
            Expression::Parenthesis(inner) => self.expr(inner.inner()),
            Expression::Variable(name) => Ok(Expr::Reference(vec![name.as_str().to_string()])),
            Expression::Traversal(traversal) => {
                let Expression::Variable(root) = &traversal.expr else {
                    return unsupported("a traversal of anything but a name");
                };
                let mut path = vec![root.as_str().to_string()];
                for operator in &traversal.operators {
                    match operator.value() {
                        TraversalOperator::GetAttr(name) => path.push(name.as_str().to_string()),
                        // `a.0`: the model's dotted path spells it the same way.
                        TraversalOperator::LegacyIndex(index) => path.push(index.to_string()),
                        TraversalOperator::Index(_) => {
                            return unsupported("an index traversal (`[...]`)");
                        }
                        TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                            return unsupported("a splat traversal (`*`)");
                        }
                    }
                }
                Ok(Expr::Reference(path))
            }
            Expression::FuncCall(call) => {
                if call.args.expand_final() {
                    return unsupported("an expanded final argument (`...`)");
                }
                let mut name: Vec<&str> = call
                    .name
                    .namespace
                    .iter()
                    .map(|part| part.as_str())
                    .collect();
                name.push(call.name.name.as_str());
                let args = call
                    .args
                    .iter()
                    .map(|arg| self.expr(arg))
                    .collect::<Result<_, _>>()?;
                Ok(Expr::Call(name.join("::"), args))
            }
            Expression::UnaryOp(operation) => match (&operation.expr, operation.operator.value()) {
                (Expression::Number(number), UnaryOperator::Neg) => {
                    self.number(expression, number.value(), true)
                }
                _ => unsupported("a unary operation"),
            },
            Expression::Conditional(_) => unsupported("a conditional expression"),
            Expression::BinaryOp(_) => unsupported("a binary operation"),
            Expression::ForExpr(_) => unsupported("a `for` expression"),
        }
    }

    fn number(
        &self,
        at: &Expression,
        number: &hcl_edit::Number,
        negative: bool,
    ) -> Result<Expr, ReadError> {
        let converted = if let Some(value) = number.as_i64() {
            Some(serde_json::Number::from(if negative {
                -value
            } else {
                value
            }))
        } else if let (Some(value), false) = (number.as_u64(), negative) {
            Some(serde_json::Number::from(value))
        } else {
            number.as_f64().and_then(|value| {
                serde_json::Number::from_f64(if negative { -value } else { value })
            })
        };
        converted
            .map(Expr::Number)
            .ok_or_else(|| self.error(at, format!("the number {number} is out of range")))
    }

    fn elements<'e>(
        &self,
        elements: impl Iterator<Item = &'e Element>,
    ) -> Result<Vec<TemplatePart>, ReadError> {
        let mut parts = Vec::new();
        for element in elements {
            match element {
                Element::Literal(text) => parts.push(TemplatePart::Literal(text.value().clone())),
                Element::Interpolation(interpolation) => {
                    if interpolation.strip != Strip::None {
                        return Err(self.error(
                            interpolation,
                            "a whitespace-stripping interpolation (`${~` or `~}`) cannot be read into tfgen's model".into(),
                        ));
                    }
                    parts.push(TemplatePart::Interpolation(self.expr(&interpolation.expr)?));
                }
                Element::Directive(directive) => {
                    return Err(self.error(
                        directive.as_ref(),
                        "a template directive (`%{if}` or `%{for}`) cannot be read into tfgen's model (tfgen never writes one)".into(),
                    ));
                }
            }
        }
        Ok(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blocks_attributes_and_expressions() {
        let text = r#"# Generated by tfgen
# second line

# above the block
resource "aws_iam_role" "role" {
  #checkov:skip=CKV_AWS_1:reason
  name   = "tf-mlops-role-${var.env}-1007"
  count  = -1
  ratio  = 1.5
  tags   = {}
  policy = jsonencode({
    Version = "2012-10-17"
    "iam:PassedToService" = ["a$${b}", null, true]
  })
  depends_on = [aws_s3_bucket.b, (var.x)]

  rule {
    id = "x"
    # trailing note
  }
}
"#;
        let document = parse(text).unwrap();
        assert_eq!(document.header, ["Generated by tfgen", "second line"]);
        let block = &document.blocks[0];
        assert_eq!(block.comments, [" above the block"]);
        assert_eq!(block.labels, ["aws_iam_role", "role"]);
        assert_eq!(
            block.body.items[0],
            BodyItem::Comment("checkov:skip=CKV_AWS_1:reason".into())
        );
        assert_eq!(
            block.body.attribute("name"),
            Some(&Expr::interpolated("tf-mlops-role-${var.env}-1007"))
        );
        assert_eq!(block.body.attribute("count"), Some(&Expr::from(-1)));
        assert_eq!(
            block.body.attribute("policy"),
            Some(&Expr::jsonencode(Expr::object([
                ("Version", Expr::from("2012-10-17")),
                (
                    "iam:PassedToService",
                    Expr::list([Expr::from("a${b}"), Expr::Null, Expr::Bool(true)])
                ),
            ])))
        );
        assert_eq!(
            block.body.attribute("depends_on"),
            Some(&Expr::list([
                Expr::reference("aws_s3_bucket.b"),
                Expr::reference("var.x")
            ]))
        );
        let rule = block.body.blocks().next().unwrap();
        assert_eq!(
            rule.body.items[1],
            BodyItem::Comment(" trailing note".into())
        );
    }

    #[test]
    fn comments_right_above_the_first_block_are_not_a_header() {
        let document = parse("# about the block\nterraform {}\n").unwrap();
        assert!(document.header.is_empty());
        assert_eq!(document.blocks[0].comments, [" about the block"]);
        let only_comments = parse("# Generated by tfgen\n# second\n").unwrap();
        assert_eq!(only_comments.header, ["Generated by tfgen", "second"]);
        assert!(only_comments.blocks.is_empty());
    }

    #[test]
    fn unsupported_forms_are_errors_with_their_position() {
        let error = parse("locals {\n  a = var.x ? 1 : 2\n}\n").unwrap_err();
        assert_eq!((error.line, error.column), (2, 7));
        assert!(error.message.contains("conditional"), "{error}");
        let error = parse("locals {\n  a = \"%{if true}x%{endif}\"\n}\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("directive"), "{error}");
        let error = parse("locals {\n  a = var.list[0]\n}\n").unwrap_err();
        assert!(error.message.contains("index"), "{error}");
        let error = parse("locals {\n  a = \n}\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.starts_with("syntax error"), "{error}");
    }

    #[test]
    fn templates_unescape_markers_and_unwrap_a_lone_interpolation() {
        assert_eq!(
            parse_template("$${x} %%{y}").unwrap(),
            Expr::from("${x} %{y}")
        );
        assert_eq!(
            parse_template("${var.env}").unwrap(),
            Expr::reference("var.env")
        );
        assert_eq!(
            parse_template(r"a\n${var.env}").unwrap(),
            Expr::Template(vec![
                TemplatePart::Literal(r"a\n".into()),
                TemplatePart::Interpolation(Expr::reference("var.env")),
            ])
        );
    }
}
