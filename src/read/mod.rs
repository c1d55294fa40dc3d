//! Rendered Terraform read back into the [`crate::model`].
//!
//! `tfgen diff` compares what two trees *mean*, so it needs the model, not
//! the text: [`hcl`] reads `.tf` files with hcl-edit, [`json`] reads
//! `.tf.json` files, and [`normalize`] removes every difference that is only
//! spelling, so a stack read from its HCL rendering, from its JSON rendering
//! and built in memory compare equal.
//!
//! The readers accept the Terraform that tfgen's printers write (and a bit
//! more); forms the model has no place for (conditionals, operators, `for`
//! expressions, template directives, index traversals) are errors with a
//! line and column, never silently dropped.

pub mod hcl;
pub mod json;
pub mod module;
pub mod schema;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Attribute, Block, Body, BodyItem, Document, Expr, TemplatePart};
use crate::render::Format;
use crate::render::jsonencode::jsonencode;

/// Why a rendered file could not be read back, and where (1-based line and
/// column, columns counted in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    /// An error at byte `offset` of `text`.
    pub(crate) fn at(text: &str, offset: usize, message: impl Into<String>) -> ReadError {
        let (line, column) = line_column(text, offset);
        ReadError {
            line,
            column,
            message: message.into(),
        }
    }
}

/// The 1-based line and character column of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |position| position + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Parses one file's text in the syntax its name says.
pub fn parse(text: &str, format: Format) -> std::result::Result<Document, ReadError> {
    match format {
        Format::Hcl => hcl::parse(text),
        Format::Json => json::parse(text),
    }
}

/// A Terraform file to read: its path (for messages and its syntax) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Reads files as one root module by Terraform's rules (see [`module`]):
/// configuration files in name order, overrides merged, variable files
/// applied. A parse error names the file, line and column.
pub fn parse_files(files: &[SourceFile]) -> Result<Document> {
    module::assemble(files)
}

/// Of the files of a directory (paths relative to it, any depth), the ones
/// that make its root module, sorted by name:
///
/// - the files directly inside it that Terraform loads ([`module::role`]),
///   when there are any, as Terraform itself reads a directory (not
///   recursively);
/// - otherwise those of its `json/` subdirectory, else of `hcl/`: an
///   `out/<env>` directory of `tfgen render --all` holds the same stack in
///   both syntaxes (see [`module_directories`] to read both).
pub fn root_module_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    for directory in ["", "json", "hcl"] {
        let found = files_in(paths, Path::new(directory));
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// The files directly in `directory` (relative) that Terraform loads.
pub fn files_in(paths: &[PathBuf], directory: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = paths
        .iter()
        .filter(|path| path.parent() == Some(directory) && module::role(path).is_some())
        .cloned()
        .collect();
    found.sort();
    found
}

/// The root module directories a path stands for: itself when it holds
/// files Terraform loads, else its `hcl/` and `json/` subdirectories that
/// do (an `out/<env>` directory of `tfgen render --all`: both, which must
/// mean the same).
pub fn module_directories(path: &Path) -> Result<Vec<PathBuf>> {
    if !list_files(path)?.is_empty() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    for format in Format::ALL {
        let directory = path.join(format.name());
        if directory.is_dir() && !list_files(&directory)?.is_empty() {
            found.push(directory);
        }
    }
    if found.is_empty() {
        return Err(Error::Parse {
            path: path.to_path_buf(),
            position: None,
            message: "no .tf or .tf.json files here, nor in a json/ or hcl/ subdirectory".into(),
        });
    }
    Ok(found)
}

/// Reads a root module directory as Terraform loads it (the first of
/// [`module_directories`]), or a single `.tf` or `.tf.json` file. A file
/// that is not Terraform is an error.
pub fn read_dir(path: &Path) -> Result<Document> {
    if path.is_file() {
        if !matches!(module::role(path), Some(module::Role::Configuration(_))) {
            return Err(Error::Parse {
                path: path.to_path_buf(),
                position: None,
                message: "not a Terraform file: the name must end in .tf or .tf.json".into(),
            });
        }
        return parse_files(&[read_source(path)?]);
    }
    read_module(&module_directories(path)?.remove(0))
}

/// Reads one root module directory as Terraform loads it.
pub fn read_module(directory: &Path) -> Result<Document> {
    let files = list_files(directory)?
        .iter()
        .map(|file| read_source(file))
        .collect::<Result<Vec<_>>>()?;
    parse_files(&files)
}

/// The files directly in `directory` that Terraform loads, through symbolic
/// links as Terraform does. A name that is not UTF-8 is an error: Terraform
/// would load a `.tf` by that name, and tfgen could not say which it is.
fn list_files(directory: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(directory)
        .map_err(|source| Error::io("read directory", directory, source))?;
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::io("read directory", directory, source))?;
        let path = entry.path();
        if entry.file_name().to_str().is_none() {
            return Err(Error::Parse {
                path: directory.to_path_buf(),
                position: None,
                message: format!(
                    "a file name that is not UTF-8 ({}): rename it, tfgen cannot tell whether Terraform loads it",
                    crate::terminal::display_path(&path)
                ),
            });
        }
        if module::role(&path).is_none() {
            continue;
        }
        let metadata =
            std::fs::metadata(&path).map_err(|source| Error::io("read", &path, source))?;
        if metadata.is_file() {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

fn read_source(path: &Path) -> Result<SourceFile> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::io("read", path, source))?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        text,
    })
}

/// The document with every difference that is only spelling removed, so
/// that two documents that mean the same compare equal:
///
/// - comments and the header are dropped (the JSON syntax has none inside
///   bodies);
/// - a constant `jsonencode(x)` becomes the string Terraform computes (what
///   the JSON printer writes);
/// - a template is canonical: adjacent literals merged, a template without
///   interpolation is a plain string, and `"${x}"` is `x` (Terraform returns
///   a lone interpolation's value unchanged);
/// - order that carries no meaning is canonical: top-level blocks sorted by
///   kind and labels, body items by name, object entries by key (all stable,
///   so repeated blocks keep their relative order, which does carry meaning).
///   List order is kept.
pub fn normalize(document: &Document) -> Document {
    let mut blocks: Vec<Block> = document.blocks.iter().map(normalize_block).collect();
    blocks.sort_by(|a, b| (&a.kind, &a.labels).cmp(&(&b.kind, &b.labels)));
    Document {
        header: Vec::new(),
        blocks,
    }
}

fn normalize_block(block: &Block) -> Block {
    Block {
        kind: block.kind.clone(),
        labels: block.labels.clone(),
        body: normalize_body(&block.body),
        comments: Vec::new(),
    }
}

fn normalize_body(body: &Body) -> Body {
    let mut items: Vec<BodyItem> = body
        .items
        .iter()
        .filter_map(|item| match item {
            BodyItem::Attribute(attribute) => Some(BodyItem::Attribute(Attribute {
                name: attribute.name.clone(),
                value: normalize_expr(&attribute.value),
            })),
            BodyItem::Block(block) => Some(BodyItem::Block(normalize_block(block))),
            BodyItem::Comment(_) => None,
        })
        .collect();
    items.sort_by(|a, b| item_name(a).cmp(item_name(b)));
    Body { items }
}

fn item_name(item: &BodyItem) -> &str {
    match item {
        BodyItem::Attribute(attribute) => &attribute.name,
        BodyItem::Block(block) => &block.kind,
        BodyItem::Comment(text) => text,
    }
}

/// One expression in canonical form (see [`normalize`]).
pub fn normalize_expr(expr: &Expr) -> Expr {
    match expr {
        // Comments are not compared: a model with them equals its file read back.
        Expr::Commented(_, value) => normalize_expr(value),
        Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::String(_) | Expr::Reference(_) => {
            expr.clone()
        }
        Expr::List(items) => Expr::List(items.iter().map(normalize_expr).collect()),
        Expr::Object(entries) => {
            let mut entries: Vec<(String, Expr)> = entries
                .iter()
                .map(|(key, value)| (key.clone(), normalize_expr(value)))
                .collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Expr::Object(entries)
        }
        Expr::Call(name, args) => {
            let args: Vec<Expr> = args.iter().map(normalize_expr).collect();
            if name == "jsonencode"
                && let [value] = args.as_slice()
                && let Some(text) = jsonencode(value)
            {
                return Expr::String(text);
            }
            Expr::Call(name.clone(), args)
        }
        Expr::Template(parts) => {
            let mut canonical: Vec<TemplatePart> = Vec::new();
            for part in parts {
                match part {
                    TemplatePart::Literal(text) => {
                        canonical.push(TemplatePart::Literal(text.clone()))
                    }
                    TemplatePart::Interpolation(inner) => match normalize_expr(inner) {
                        // A string interpolated is the string itself.
                        Expr::String(text) => canonical.push(TemplatePart::Literal(text)),
                        Expr::Template(inner_parts) => canonical.extend(inner_parts),
                        other => canonical.push(TemplatePart::Interpolation(other)),
                    },
                }
            }
            match template_from_parts(canonical) {
                Expr::Template(parts) => match <[TemplatePart; 1]>::try_from(parts) {
                    Ok([TemplatePart::Interpolation(inner)]) => inner,
                    Ok([literal]) => Expr::Template(vec![literal]),
                    Err(parts) => Expr::Template(parts),
                },
                other => other,
            }
        }
    }
}

/// A template's parts as the model spells a string: [`Expr::String`] when
/// nothing is interpolated, otherwise [`Expr::Template`] with adjacent
/// literals merged (the readers' shared last step).
pub(crate) fn template_from_parts(parts: Vec<TemplatePart>) -> Expr {
    let mut merged: Vec<TemplatePart> = Vec::new();
    for part in parts {
        match (merged.last_mut(), part) {
            (_, TemplatePart::Literal(text)) if text.is_empty() => {}
            (Some(TemplatePart::Literal(previous)), TemplatePart::Literal(text)) => {
                previous.push_str(&text)
            }
            (_, part) => merged.push(part),
        }
    }
    match merged.as_slice() {
        [] => Expr::String(String::new()),
        [TemplatePart::Literal(text)] => Expr::String(text.clone()),
        _ => Expr::Template(merged),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::render::{Format, render};
    use crate::stack::Stack;

    fn stacks() -> Vec<Stack> {
        let config = Config::built_in();
        let stacks: Vec<Stack> = config.environments.iter().map(Stack::build).collect();
        let profiles: Vec<_> = stacks.iter().map(|stack| stack.profile).collect();
        assert_eq!(
            profiles,
            crate::stack::Profile::ALL,
            "the built-in environments cover every profile"
        );
        stacks
    }

    #[test]
    fn every_profile_round_trips_through_both_syntaxes() {
        for stack in stacks() {
            let mut document = stack.document();
            document.header = vec!["Generated by tfgen".into(), "second line".into()];
            let expected = normalize(&document);
            for format in Format::ALL {
                let text = render(&document, format);
                let back = parse(&text, format)
                    .unwrap_or_else(|error| panic!("{} {format}: {error}", stack.environment));
                assert_eq!(
                    back.header, document.header,
                    "{} {format}: header",
                    stack.environment
                );
                assert_eq!(
                    normalize(&back),
                    expected,
                    "{} {format}: read back differs",
                    stack.environment
                );
            }
        }
    }

    #[test]
    fn hcl_reads_back_exactly_comments_included() {
        for stack in stacks() {
            let mut document = stack.document();
            document.header = vec!["Generated by tfgen".into()];
            document.blocks[0].comments = vec![" the versions block".into()];
            let back = hcl::parse(&render(&document, Format::Hcl)).unwrap();
            assert_eq!(back, document, "{}", stack.environment);
        }
    }

    #[test]
    fn split_files_read_as_one_module() {
        for stack in stacks() {
            let expected = normalize(&stack.document());
            for format in Format::ALL {
                let files: Vec<SourceFile> = stack
                    .files()
                    .into_iter()
                    .map(|(file, document)| SourceFile {
                        path: PathBuf::from(format!("{}{}", file.name(), format.extension())),
                        text: render(&document, format),
                    })
                    .collect();
                let back = parse_files(&files).unwrap();
                assert_eq!(normalize(&back), expected, "{} {format}", stack.environment);
            }
        }
    }

    #[test]
    fn awkward_documents_round_trip_through_both_syntaxes() {
        let tricky = "quote \" backslash \\ newline \n tab \t ${not} %{not} $${x} é <&>";
        let document = Document::new(vec![
            Block::new("locals", &[]).attr("a", tricky),
            // A type whose provider schema nests `rule` and `filter` blocks.
            Block::new("resource", &["aws_s3_bucket_lifecycle_configuration", "b"])
                .attr("bucket", Expr::interpolated("name-${var.env}"))
                .attr("negative", Expr::from(-3))
                .attr(
                    "ratio",
                    Expr::Number(serde_json::Number::from_f64(0.25).unwrap()),
                )
                .attr("empty_list", Expr::List(Vec::new()))
                .attr("empty_object", Expr::Object(Vec::new()))
                .attr(
                    "keys",
                    Expr::object([
                        ("iam:PassedToService", Expr::from("x")),
                        ("true", Expr::Bool(false)),
                        ("plain", Expr::Null),
                    ]),
                )
                .attr(
                    "file",
                    Expr::Call("file".into(), vec![Expr::interpolated("${path.module}/x")]),
                )
                .attr(
                    "mixed",
                    Expr::Template(vec![
                        TemplatePart::Literal("a-".into()),
                        TemplatePart::Interpolation(Expr::Call(
                            "lower".into(),
                            vec![Expr::reference("var.env")],
                        )),
                    ]),
                )
                .block(Block::new("rule", &[]).attr("id", "one"))
                .attr("between", true)
                .block(
                    Block::new("rule", &[])
                        .attr("id", "two")
                        .block(Block::new("filter", &[])),
                )
                .attr(
                    "depends_on",
                    Expr::list([Expr::reference("aws_iam_role.r")]),
                ),
            Block::new("locals", &[]).attr("b", Expr::jsonencode(Expr::from(tricky))),
            Block::new("data", &["aws_caller_identity", "current"]),
            Block::new("module", &["network"]).attr("source", "./network"),
            Block::new("output", &["id"]).attr("value", Expr::reference("data.x.y.id")),
            Block::new("variable", &["literal"])
                .attr("default", "${kept} as text")
                .attr("description", "%{also}"),
        ]);
        let expected = normalize(&document);
        for format in Format::ALL {
            let text = render(&document, format);
            let back =
                parse(&text, format).unwrap_or_else(|error| panic!("{format}: {error}\n{text}"));
            assert_eq!(normalize(&back), expected, "{format}:\n{text}");
        }
    }

    #[test]
    fn read_dir_prefers_files_then_json_then_hcl() {
        let paths = |names: &[&str]| names.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert_eq!(
            root_module_files(&paths(&["b.tf", "a.tf.json", "json/x.tf.json", "notes.md"])),
            paths(&["a.tf.json", "b.tf"])
        );
        assert_eq!(
            root_module_files(&paths(&[
                "hcl/s3.tf",
                "json/s3.tf.json",
                "json/iam.tf.json"
            ])),
            paths(&["json/iam.tf.json", "json/s3.tf.json"])
        );
        assert_eq!(
            root_module_files(&paths(&["hcl/s3.tf", "hcl/nested/x.tf"])),
            paths(&["hcl/s3.tf"])
        );
        assert!(root_module_files(&paths(&["README.md"])).is_empty());
    }

    #[test]
    fn normalize_removes_spelling_only() {
        let spelled = |value: Expr| {
            Document::new(vec![
                Block::new("locals", &[])
                    .note("a comment")
                    .attr("b", Expr::from(1))
                    .attr("a", value),
            ])
        };
        let template = Expr::Template(vec![
            TemplatePart::Literal("x".into()),
            TemplatePart::Literal(String::new()),
            TemplatePart::Interpolation(Expr::from("y")),
        ]);
        assert_eq!(
            normalize(&spelled(template)),
            normalize(&spelled(Expr::from("xy")))
        );
        let lone = Expr::interpolated("${var.env}");
        assert_eq!(
            normalize(&spelled(lone)),
            normalize(&spelled(Expr::reference("var.env")))
        );
        let object = Expr::jsonencode(Expr::object([("B", Expr::from(1)), ("A", Expr::Null)]));
        assert_eq!(
            normalize(&spelled(object)),
            normalize(&spelled(Expr::from(r#"{"A":null,"B":1}"#)))
        );
        let normalized = normalize(&spelled(Expr::Null));
        let attributes: Vec<&str> = normalized.blocks[0]
            .body
            .attributes()
            .map(|attribute| attribute.name.as_str())
            .collect();
        assert_eq!(attributes, ["a", "b"]);
    }

    #[test]
    fn a_parse_error_names_the_file() {
        let files = [SourceFile {
            path: PathBuf::from("out/dev/hcl/s3.tf"),
            text: "resource \"a\" \"b\" {\n  x = 1 +\n}\n".into(),
        }];
        let error = parse_files(&files).unwrap_err().to_string();
        assert!(
            error.starts_with(
                "out/dev/hcl/s3.tf:2:10: cannot read rendered Terraform: syntax error"
            ),
            "{error}"
        );
    }
}
