//! A general Terraform document model: blocks, labels, attributes and
//! expressions.
//!
//! This is the layer both printers read. It knows Terraform's language (what
//! a block, a reference or a function call is) and nothing of S3 or IAM, so a
//! new resource type is new `stack` code and never a printer change.

mod expr;
pub mod features;

pub(crate) use expr::find_introducer;
pub use expr::{Expr, ObjectKey, TemplatePart, comment_lines};

/// One Terraform file (or a whole root module when rendered to stdout).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Comment lines at the top of the file: an HCL comment, or the `"//"`
    /// property at the root of a JSON document.
    pub header: Vec<String>,
    pub blocks: Vec<Block>,
}

/// A block such as `resource "aws_s3_bucket" "artifacts_bucket" { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Body,
    /// Comment lines printed just above the block. Like every comment, each
    /// holds the text after `#` verbatim (HCL only: the JSON syntax has no
    /// comments inside a body).
    pub comments: Vec<String>,
}

/// The inside of a block: attributes and nested blocks, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub items: Vec<BodyItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyItem {
    Attribute(Attribute),
    Block(Block),
    /// A comment line: the text after `#`, verbatim, so tool directives such
    /// as `#checkov:skip=...` keep their exact form.
    Comment(String),
}

/// `name = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub value: Expr,
}

impl Document {
    pub fn new(blocks: Vec<Block>) -> Self {
        Document {
            header: Vec::new(),
            blocks,
        }
    }
}

impl Block {
    pub fn new<K: Into<String>>(kind: K, labels: &[&str]) -> Self {
        Block {
            kind: kind.into(),
            labels: labels.iter().map(|label| label.to_string()).collect(),
            body: Body::default(),
            comments: Vec::new(),
        }
    }

    /// Builder: adds `name = value`.
    pub fn attr(mut self, name: &str, value: impl Into<Expr>) -> Self {
        self.body.items.push(BodyItem::Attribute(Attribute {
            name: name.to_string(),
            value: value.into(),
        }));
        self
    }

    /// Builder: adds a prose comment line inside the body (`# text`).
    pub fn note(mut self, text: &str) -> Self {
        self.body.items.push(BodyItem::Comment(format!(" {text}")));
        self
    }

    /// Builder: adds a tool directive inside the body, written right after
    /// the `#` as tools expect it (`#checkov:skip=CKV_AWS_18:reason`).
    pub fn directive(mut self, text: &str) -> Self {
        self.body.items.push(BodyItem::Comment(text.to_string()));
        self
    }

    /// Builder: adds the `depends_on` meta-argument, unless `references`
    /// is empty.
    pub fn depends_on(self, references: &[Expr]) -> Self {
        match references.is_empty() {
            true => self,
            false => self.attr("depends_on", Expr::list(references.iter().cloned())),
        }
    }

    /// Builder: adds a nested block.
    pub fn block(mut self, block: Block) -> Self {
        self.body.items.push(BodyItem::Block(block));
        self
    }

    /// Builder: adds a prose comment line above the block (`# text`).
    pub fn comment(mut self, line: &str) -> Self {
        self.comments.push(format!(" {line}"));
        self
    }

    /// Builder: adds prose above the block, broken into comment lines of
    /// at most [`expr::COMMENT_WIDTH`] characters.
    pub fn comment_wrapped(mut self, text: &str) -> Self {
        self.comments.extend(comment_lines(text));
        self
    }

    /// The address Terraform gives this block, e.g. `aws_s3_bucket.artifacts_bucket`
    /// for a resource or `var.env` for a variable.
    pub fn address(&self) -> String {
        match (self.kind.as_str(), self.labels.as_slice()) {
            ("resource", [kind, name]) => format!("{kind}.{name}"),
            ("data", [kind, name]) => format!("data.{kind}.{name}"),
            ("variable", [name]) => format!("var.{name}"),
            ("output", [name]) => format!("output.{name}"),
            ("module", [name]) => format!("module.{name}"),
            // Terraform's blocks about other addresses are named by the
            // address they are about: `moved.aws_s3_bucket.old`.
            ("moved" | "removed", []) => self.about("from"),
            ("import", []) => self.about("to"),
            (kind, []) => kind.to_string(),
            (kind, labels) => format!("{kind}.{}", labels.join(".")),
        }
    }
}

impl Block {
    /// `<kind>.<address>` of a block whose `attribute` names another
    /// block's address; the kind alone without it.
    fn about(&self, attribute: &str) -> String {
        match self.body.attribute(attribute) {
            Some(Expr::Reference(path)) => format!("{}.{}", self.kind, path.join(".")),
            _ => self.kind.clone(),
        }
    }
}

impl Body {
    /// The attribute called `name`, if the body has one.
    pub fn attribute(&self, name: &str) -> Option<&Expr> {
        self.items.iter().find_map(|item| match item {
            BodyItem::Attribute(attribute) if attribute.name == name => Some(&attribute.value),
            BodyItem::Attribute(_) | BodyItem::Block(_) | BodyItem::Comment(_) => None,
        })
    }

    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.items.iter().filter_map(|item| match item {
            BodyItem::Attribute(attribute) => Some(attribute),
            BodyItem::Block(_) | BodyItem::Comment(_) => None,
        })
    }

    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.items.iter().filter_map(|item| match item {
            BodyItem::Block(block) => Some(block),
            BodyItem::Attribute(_) | BodyItem::Comment(_) => None,
        })
    }
}
