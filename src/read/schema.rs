//! Which properties of a Terraform JSON body are nested blocks, from the
//! AWS provider's own schema (`data/aws-provider-nested-blocks.txt`, made by
//! `scripts/provider-schema.sh` from `terraform providers schema -json` of
//! the pinned provider) and Terraform's meta blocks. In the JSON syntax only
//! the schema tells `rule { }` from `tags = { }`, so the reader takes it
//! from the provider rather than from a list of what tfgen happens to emit:
//! a resource type added to the stack is read correctly with no change here.
//!
//! The data is compiled in and parsed on first use, by `read` only: `render`
//! never pays for it.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

const DATA: &str = include_str!("../../data/aws-provider-nested-blocks.txt");

/// A block's nested block types, recursively, with their label counts.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BlockSchema {
    pub labels: usize,
    pub nested: BTreeMap<String, BlockSchema>,
}

/// The schemas of top-level blocks: `(kind, type)` for resources, data
/// sources and providers, `("meta", kind)` for Terraform's own blocks.
struct Schemas {
    by_type: HashMap<(String, String), BlockSchema>,
    /// The provider's version, for messages.
    provider: String,
}

fn schemas() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| parse_data(DATA))
}

/// The schema of a top-level block of `kind` with `labels`, meta blocks
/// merged in; `Err` with the reason when Terraform would not know it.
pub fn top_level(kind: &str, labels: &[String]) -> Result<BlockSchema, String> {
    let schemas = schemas();
    let meta = schemas.by_type.get(&("meta".to_string(), kind.to_string()));
    let mut schema = BlockSchema::default();
    if let Some(meta) = meta {
        schema.nested.extend(
            meta.nested
                .iter()
                .map(|(name, block)| (name.clone(), block.clone_schema())),
        );
    }
    if matches!(kind, "resource" | "data" | "provider") {
        let Some(type_name) = labels.first() else {
            return Ok(schema);
        };
        let Some(own) = schemas.by_type.get(&(kind.to_string(), type_name.clone())) else {
            let what = match kind {
                "resource" => "resource type",
                "data" => "data source type",
                _ => "provider",
            };
            return Err(format!(
                "unknown {what} \"{type_name}\": not in the schema of {} (data/aws-provider-nested-blocks.txt; scripts/provider-schema.sh regenerates it)",
                schemas.provider
            ));
        };
        schema.nested.extend(
            own.nested
                .iter()
                .map(|(name, block)| (name.clone(), block.clone_schema())),
        );
    }
    Ok(schema)
}

impl BlockSchema {
    fn clone_schema(&self) -> BlockSchema {
        BlockSchema {
            labels: self.labels,
            nested: self
                .nested
                .iter()
                .map(|(name, block)| (name.clone(), block.clone_schema()))
                .collect(),
        }
    }
}

fn parse_data(data: &str) -> Schemas {
    let mut by_type = HashMap::new();
    let mut provider = "the AWS provider".to_string();
    for line in data.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            if let Some(rest) = comment.strip_prefix("AWS provider ") {
                let version = rest.split_whitespace().next().unwrap_or_default();
                provider = format!("the AWS provider {version}");
            }
            continue;
        }
        let mut parts = line.splitn(3, ' ');
        let (Some(kind), Some(name)) = (parts.next(), parts.next()) else {
            continue;
        };
        let mut blocks = BlockSchema::default();
        parse_list(
            parts.next().unwrap_or_default().as_bytes(),
            &mut 0,
            &mut blocks.nested,
        );
        by_type.insert((kind.to_string(), name.to_string()), blocks);
    }
    Schemas { by_type, provider }
}

/// `name name:1 name(child other(grandchild))`, up to a `)` or the end.
fn parse_list(text: &[u8], at: &mut usize, into: &mut BTreeMap<String, BlockSchema>) {
    while *at < text.len() {
        match text[*at] {
            b' ' => *at += 1,
            b')' => {
                *at += 1;
                return;
            }
            _ => {
                let start = *at;
                while *at < text.len() && !matches!(text[*at], b' ' | b'(' | b')' | b':') {
                    *at += 1;
                }
                let name = String::from_utf8_lossy(&text[start..*at]).into_owned();
                let mut block = BlockSchema::default();
                if text.get(*at) == Some(&b':') {
                    *at += 1;
                    let digits = *at;
                    while text.get(*at).is_some_and(u8::is_ascii_digit) {
                        *at += 1;
                    }
                    block.labels = std::str::from_utf8(&text[digits..*at])
                        .ok()
                        .and_then(|count| count.parse().ok())
                        .unwrap_or(0);
                }
                if text.get(*at) == Some(&b'(') {
                    *at += 1;
                    parse_list(text, at, &mut block.nested);
                }
                into.insert(name, block);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(schema: &BlockSchema) -> Vec<&str> {
        schema.nested.keys().map(String::as_str).collect()
    }

    #[test]
    fn resources_get_their_provider_blocks_and_terraforms_meta_blocks() {
        let lifecycle = top_level(
            "resource",
            &["aws_s3_bucket_lifecycle_configuration".into(), "x".into()],
        )
        .unwrap();
        let rule = &lifecycle.nested["rule"];
        assert!(names(rule).contains(&"filter") && names(&rule.nested["filter"]).contains(&"and"));
        assert!(names(&lifecycle).contains(&"lifecycle"));
        assert_eq!(lifecycle.nested["provisioner"].labels, 1);
        // Types the pipeline issues add are covered with no change here.
        for (kind, type_name, block) in [
            ("resource", "aws_codebuild_project", "environment"),
            ("resource", "aws_codepipeline", "stage"),
            (
                "resource",
                "aws_cloudwatch_event_target",
                "input_transformer",
            ),
            ("data", "aws_iam_policy_document", "statement"),
            ("provider", "aws", "default_tags"),
        ] {
            let schema = top_level(kind, &[type_name.into()]).unwrap();
            assert!(
                schema.nested.contains_key(block),
                "{kind} {type_name} lacks {block}"
            );
        }
        assert!(
            top_level("resource", &["aws_kms_key".into()])
                .unwrap()
                .nested
                .contains_key("timeouts")
        );
        let terraform = top_level("terraform", &[]).unwrap();
        assert_eq!(terraform.nested["backend"].labels, 1);
        assert!(terraform.nested.contains_key("required_providers"));
    }

    #[test]
    fn unknown_types_are_refused() {
        let error = top_level("resource", &["aws_no_such_thing".into()]).unwrap_err();
        assert!(error.starts_with("unknown resource type \"aws_no_such_thing\": not in the schema of the AWS provider 5.100.0"), "{error}");
    }

    #[test]
    fn the_compact_format_nests_and_counts_labels() {
        let schemas = parse_data("# AWS provider 1.2.3 x\nresource t a b:2(c(d) e) f\n");
        let schema = &schemas.by_type[&("resource".to_string(), "t".to_string())];
        assert_eq!(names(schema), ["a", "b", "f"]);
        assert_eq!(schema.nested["b"].labels, 2);
        assert_eq!(names(&schema.nested["b"]), ["c", "e"]);
        assert_eq!(names(&schema.nested["b"].nested["c"]), ["d"]);
        assert_eq!(schemas.provider, "the AWS provider 1.2.3");
    }
}
