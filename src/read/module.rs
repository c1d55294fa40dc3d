//! A root module directory as Terraform loads it, so that `diff` compares
//! what Terraform would apply, not only the files tfgen wrote.
//!
//! Terraform reads every file of the directory (not recursively), through
//! symbolic links: the configuration files (`*.tf`, `*.tf.json`) in name
//! order, then the override files (`override.tf`, `*_override.tf` and their
//! `.tf.json` forms) merged over them in name order, then variable values:
//! `terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars` and
//! `*.auto.tfvars.json` in name order, each over the previous. A value set
//! for a declared variable is shown as that variable's `default`, since it
//! is what Terraform will use. Two definitions of one resource, data
//! source, variable, output, module or local are an error, as in Terraform.

use std::path::{Path, PathBuf};

use super::{SourceFile, parse};
use crate::error::{Error, Result};
use crate::model::{Attribute, Block, BodyItem, Document, Expr};
use crate::render::Format;

/// What a file is to Terraform, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Configuration(Format),
    Override(Format),
    /// Variable values: `terraform.tfvars(.json)` or `*.auto.tfvars(.json)`.
    Values(Format),
}

/// The role of a file Terraform loads from a root module directory, or
/// `None` for a file it ignores. Names that are not UTF-8 are `None` here;
/// the directory reader refuses them.
pub fn role(path: &Path) -> Option<Role> {
    let name = path.file_name()?.to_str()?;
    if name.starts_with('.') || name.starts_with('#') || name.ends_with('~') {
        // Terraform skips hidden and editor backup files.
        return None;
    }
    for (suffix, format) in [(".tf.json", Format::Json), (".tf", Format::Hcl)] {
        if let Some(stem) = name.strip_suffix(suffix) {
            return Some(if stem == "override" || stem.ends_with("_override") {
                Role::Override(format)
            } else {
                Role::Configuration(format)
            });
        }
    }
    for (suffix, format) in [(".tfvars.json", Format::Json), (".tfvars", Format::Hcl)] {
        if let Some(stem) = name.strip_suffix(suffix)
            && (stem == "terraform" || stem.ends_with(".auto"))
        {
            return Some(Role::Values(format));
        }
    }
    None
}

/// The order Terraform applies variable files in: `terraform.tfvars`, its
/// JSON form, then the `*.auto.*` ones by name.
fn values_order(path: &Path) -> (u8, String) {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rank = match name.as_str() {
        "terraform.tfvars" => 0,
        "terraform.tfvars.json" => 1,
        _ => 2,
    };
    (rank, name)
}

/// Reads files of one directory as Terraform loads them (see the module
/// comment). Files Terraform ignores are skipped.
pub fn assemble(files: &[SourceFile]) -> Result<Document> {
    let mut sorted: Vec<&SourceFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.file_name().cmp(&b.path.file_name()));
    let mut document = Document::default();
    let mut defined: Vec<(String, PathBuf)> = Vec::new();
    let mut overrides = Vec::new();
    let mut values = Vec::new();
    for file in sorted {
        match role(&file.path) {
            Some(Role::Configuration(format)) => {
                let parsed = parse_file(file, format)?;
                if document.header.is_empty() {
                    document.header = parsed.header;
                }
                for block in parsed.blocks {
                    for key in definitions(&block) {
                        if let Some((_, first)) = defined.iter().find(|(seen, _)| *seen == key) {
                            return Err(Error::Parse {
                                path: file.path.clone(),
                                position: None,
                                message: format!(
                                    "duplicate {key}: already defined in {}; Terraform rejects a module that defines it twice",
                                    first.display()
                                ),
                            });
                        }
                        defined.push((key, file.path.clone()));
                    }
                    document.blocks.push(block);
                }
            }
            Some(Role::Override(format)) => overrides.push((file, parse_file(file, format)?)),
            Some(Role::Values(format)) => values.push((file, format)),
            None => {}
        }
    }
    for (file, parsed) in overrides {
        for block in parsed.blocks {
            merge_override(&mut document, block, &file.path)?;
        }
    }
    values.sort_by_key(|(file, _)| values_order(&file.path));
    for (file, format) in values {
        for (name, value) in parse_values(file, format)? {
            set_default(&mut document, &name, value);
        }
    }
    Ok(document)
}

fn parse_file(file: &SourceFile, format: Format) -> Result<Document> {
    parse(&file.text, format).map_err(|error| Error::Parse {
        path: file.path.clone(),
        position: Some((error.line, error.column)),
        message: error.message,
    })
}

/// What a block defines that may be defined once per module.
fn definitions(block: &Block) -> Vec<String> {
    let quoted = |labels: &[String]| {
        labels
            .iter()
            .map(|label| format!("\"{label}\""))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match block.kind.as_str() {
        "resource" | "data" | "variable" | "output" | "module" => {
            vec![format!("{} {}", block.kind, quoted(&block.labels))]
        }
        "locals" => attributes(block)
            .map(|attribute| format!("local \"{}\"", attribute.name))
            .collect(),
        _ => Vec::new(),
    }
}

fn attributes(block: &Block) -> impl Iterator<Item = &Attribute> {
    block.body.items.iter().filter_map(|item| match item {
        BodyItem::Attribute(attribute) => Some(attribute),
        _ => None,
    })
}

/// Merges one block of an override file into the module, by Terraform's
/// rules: the block it overrides must exist; its arguments replace the
/// original's, and a nested block type it sets replaces all the original's
/// blocks of that type. Locals override one by one; `terraform` and
/// `provider` blocks merge into the first of their kind (and alias).
fn merge_override(document: &mut Document, block: Block, file: &Path) -> Result<()> {
    if block.kind == "locals" {
        for attribute in attributes(&block) {
            let target = document
                .blocks
                .iter_mut()
                .filter(|base| base.kind == "locals")
                .flat_map(|base| base.body.items.iter_mut())
                .find_map(|item| match item {
                    BodyItem::Attribute(base) if base.name == attribute.name => Some(base),
                    _ => None,
                });
            match target {
                Some(base) => base.value = attribute.value.clone(),
                None => return Err(missing_base(file, &format!("local \"{}\"", attribute.name))),
            }
        }
        return Ok(());
    }
    let alias = |block: &Block| {
        attributes(block)
            .find(|attribute| attribute.name == "alias")
            .map(|attribute| attribute.value.clone())
    };
    let target = document.blocks.iter_mut().find(|base| {
        base.kind == block.kind
            && base.labels == block.labels
            && (block.kind != "provider" || alias(base) == alias(&block))
    });
    let Some(base) = target else {
        if block.kind == "terraform" {
            document.blocks.push(block);
            return Ok(());
        }
        let labels: Vec<String> = block
            .labels
            .iter()
            .map(|label| format!("\"{label}\""))
            .collect();
        return Err(missing_base(
            file,
            &format!("{} {}", block.kind, labels.join(" ")),
        ));
    };
    let nested_kinds: Vec<String> = block
        .body
        .items
        .iter()
        .filter_map(|item| match item {
            BodyItem::Block(nested) => Some(nested.kind.clone()),
            _ => None,
        })
        .collect();
    base.body.items.retain(|item| match item {
        BodyItem::Block(nested) => !nested_kinds.contains(&nested.kind),
        _ => true,
    });
    for item in block.body.items {
        match item {
            BodyItem::Attribute(attribute) => {
                let existing = base.body.items.iter_mut().find_map(|item| match item {
                    BodyItem::Attribute(base) if base.name == attribute.name => Some(base),
                    _ => None,
                });
                match existing {
                    Some(existing) => existing.value = attribute.value,
                    None => base.body.items.push(BodyItem::Attribute(attribute)),
                }
            }
            BodyItem::Block(nested) => base.body.items.push(BodyItem::Block(nested)),
            BodyItem::Comment(_) => {}
        }
    }
    Ok(())
}

fn missing_base(file: &Path, what: &str) -> Error {
    Error::Parse {
        path: file.to_path_buf(),
        position: None,
        message: format!(
            "override of {what}, which no configuration file defines; Terraform rejects an override without an original"
        ),
    }
}

/// The assignments of a variable file, read as the body of a `locals` block
/// (the same syntax), with line numbers as in the file.
fn parse_values(file: &SourceFile, format: Format) -> Result<Vec<(String, Expr)>> {
    let (wrapped, line_shift) = match format {
        Format::Hcl => (format!("locals {{\n{}\n}}\n", file.text), 1),
        Format::Json => (format!("{{\"locals\": {}}}", file.text), 0),
    };
    let parsed = parse(&wrapped, format).map_err(|error| Error::Parse {
        path: file.path.clone(),
        position: Some((error.line.saturating_sub(line_shift).max(1), error.column)),
        message: error.message,
    })?;
    Ok(parsed
        .blocks
        .iter()
        .flat_map(attributes)
        .map(|attribute| (attribute.name.clone(), attribute.value.clone()))
        .collect())
}

/// A variable's value from a variable file becomes its `default`, which is
/// what Terraform will use. A value for an undeclared variable has no
/// effect (Terraform warns), so it is left out.
fn set_default(document: &mut Document, name: &str, value: Expr) {
    let Some(variable) = document.blocks.iter_mut().find(|block| {
        block.kind == "variable" && block.labels.first().map(String::as_str) == Some(name)
    }) else {
        return;
    };
    let existing = variable.body.items.iter_mut().find_map(|item| match item {
        BodyItem::Attribute(attribute) if attribute.name == "default" => Some(attribute),
        _ => None,
    });
    match existing {
        Some(attribute) => attribute.value = value,
        None => variable.body.items.push(BodyItem::Attribute(Attribute {
            name: "default".into(),
            value,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from(name),
            text: text.into(),
        }
    }

    fn default_of(document: &Document, name: &str) -> Option<Expr> {
        document
            .blocks
            .iter()
            .find(|block| block.kind == "variable" && block.labels[0] == name)
            .and_then(|block| attributes(block).find(|a| a.name == "default"))
            .map(|attribute| attribute.value.clone())
    }

    #[test]
    fn roles_follow_terraforms_names() {
        assert_eq!(
            role(Path::new("a.tf")),
            Some(Role::Configuration(Format::Hcl))
        );
        assert_eq!(
            role(Path::new("aaa_override.tf")),
            Some(Role::Override(Format::Hcl))
        );
        assert_eq!(
            role(Path::new("override.tf.json")),
            Some(Role::Override(Format::Json))
        );
        assert_eq!(
            role(Path::new("terraform.tfvars")),
            Some(Role::Values(Format::Hcl))
        );
        assert_eq!(
            role(Path::new("x.auto.tfvars.json")),
            Some(Role::Values(Format::Json))
        );
        assert_eq!(role(Path::new("other.tfvars")), None);
        assert_eq!(role(Path::new(".hidden.tf")), None);
        assert_eq!(role(Path::new("README.md")), None);
    }

    #[test]
    fn variable_files_set_values_in_terraforms_order() {
        let document = assemble(&[
            file("z.auto.tfvars", "bucket = \"auto\"\n"),
            file("terraform.tfvars", "bucket = \"first\"\n"),
            file(
                "variables.tf",
                "variable \"bucket\" {\n  default = \"model\"\n}\n",
            ),
        ])
        .unwrap();
        assert_eq!(default_of(&document, "bucket"), Some(Expr::from("auto")));
    }

    #[test]
    fn overrides_merge_after_every_file_whatever_their_name() {
        let document = assemble(&[
            file(
                "aaa_override.tf",
                "variable \"bucket\" {\n  default = \"evil\"\n}\n",
            ),
            file(
                "variables.tf",
                "variable \"bucket\" {\n  default = \"model\"\n}\n",
            ),
        ])
        .unwrap();
        assert_eq!(default_of(&document, "bucket"), Some(Expr::from("evil")));
        let orphan = assemble(&[file("x_override.tf", "variable \"nope\" {}\n")]).unwrap_err();
        assert!(
            orphan.to_string().contains("override of variable \"nope\""),
            "{orphan}"
        );
    }

    #[test]
    fn duplicate_definitions_are_an_error() {
        let error = assemble(&[
            file("a.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
            file("b.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(error.starts_with("b.tf:"), "{error}");
        assert!(
            error.contains("duplicate resource \"aws_s3_bucket\" \"b\": already defined in a.tf"),
            "{error}"
        );
    }
}
