//! `tfgen adopt`: `import {}` blocks that take a team's existing resources
//! into Terraform's state, for an environment whose resources exist but
//! whose state is lost (or was never Terraform's).
//!
//! Each resource says how the provider imports it ([`Import`]): an ID made
//! of the names the stack knows (a bucket's name, `<role>/<policy ARN>`),
//! evaluated here to text with the environment's values; an ID AWS chose
//! that a data source finds at plan time (a key, by its alias); an ID only
//! the account knows, given with `--id`; or a type the provider cannot
//! import, which the apply creates. ARNs name the environment's
//! `account_id` when tfgen.hcl sets one, else the account Terraform runs in
//! (`data.aws_caller_identity.adopt`).

use crate::error::{Diagnostic, Error, Origin, Result, Severity};
use crate::model::{Block, BodyItem, Expr, TemplatePart, features};
use crate::stack::{Import, Stack};

/// Stands for the account in the ARNs a stack computes while its import
/// IDs are evaluated: no name of a stack holds it.
const ACCOUNT: &str = "\u{1}account\u{1}";

/// The data source of the account Terraform runs in, when tfgen.hcl names
/// none.
const CALLER: &str = "data.aws_caller_identity.adopt.account_id";

/// What `tfgen adopt` writes for one environment, and what it must tell.
pub struct Adoption {
    /// The file's blocks: the version it needs, the data sources its IDs
    /// read, the import blocks.
    pub blocks: Vec<Block>,
    /// How many resources it imports.
    pub imports: usize,
    /// What it cannot import, and why: notes for standard error.
    pub notes: Vec<Diagnostic>,
}

/// The import blocks of `stack`. `account`: the environment's `account_id`,
/// if tfgen.hcl sets one. `given`: `--id ADDRESS=ID` pairs, which override
/// what tfgen would compute and supply the IDs AWS chose.
pub fn imports(
    stack: &Stack,
    account: Option<&str>,
    given: &[(String, String)],
) -> Result<Adoption> {
    let mut stack = stack.clone();
    stack.account = ACCOUNT;
    let addresses: Vec<String> = stack
        .items
        .iter()
        .map(|item| item.address().to_string())
        .collect();
    for (address, _) in given {
        let importable = stack
            .items
            .iter()
            .any(|item| item.address().to_string() == *address && item.import(&stack).is_some());
        if !importable {
            let resources: Vec<&String> =
                addresses.iter().filter(|a| a.starts_with("aws_")).collect();
            return Err(Error::Usage(format!(
                "--id {address}=...: environment \"{}\" has no resource {address} to import\n  help: the addresses are those of `terraform state list`: {}",
                stack.environment,
                resources
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let account_value = |text: &str| account_parts(text, account);
    let resolve = |path: &[String]| stack.resolve(path);
    let mut lookups = Vec::new();
    let mut imports = Vec::new();
    let mut notes = Vec::new();
    let note = |notes: &mut Vec<Diagnostic>, address: &str, message: String, help: String| {
        notes.push(Diagnostic {
            severity: Severity::Note,
            rule: "adopt-not-imported",
            origin: Origin::BuiltIn(format!("profile {}", stack.profile)),
            environment: Some(stack.environment.clone()),
            field: Some(address.to_string()),
            message,
            help,
        })
    };
    for item in &stack.items {
        let Some(import) = item.import(&stack) else {
            continue;
        };
        let address = item.address().to_string();
        let given_id = given
            .iter()
            .find(|(at, _)| *at == address)
            .map(|(_, id)| id);
        let block = |id: Expr| {
            Block::new("import", &[])
                .attr("to", Expr::reference(&address))
                .attr("id", id)
        };
        match (import, given_id) {
            (_, Some(id)) => imports.push(block(Expr::from(id.as_str())).comment("Given with --id.")),
            (Import::Id { id, lookup }, None) => {
                let id = settle(&id.substitute(&resolve), &account_value);
                let Some(id) = id else {
                    return Err(Error::Usage(format!(
                        "{address}: tfgen cannot compute its import ID in environment \"{}\"\n  help: give it with --id {address}=ID",
                        stack.environment
                    )));
                };
                if let Some(mut lookup) = lookup {
                    for entry in &mut lookup.body.items {
                        if let BodyItem::Attribute(attribute) = entry {
                            attribute.value = settle(&attribute.value.substitute(&resolve), &account_value)
                                .unwrap_or_else(|| attribute.value.clone());
                        }
                    }
                    lookups.push(lookup);
                }
                imports.push(block(id));
            }
            (Import::ChosenByAws { format, listed_by }, None) => note(
                &mut notes,
                &address,
                "AWS chose its ID when it created it, and no name of the stack finds it: it is not imported, and `terraform apply` creates another one".into(),
                format!("find the ID with `{listed_by}`, then run tfgen adopt again with --id {address}={format}"),
            ),
            (Import::Unsupported { what_apply_does }, None) => note(
                &mut notes,
                &address,
                format!("the AWS provider cannot import this type: `terraform apply` creates it, which {what_apply_does}"),
                "nothing to do: the plan shows it as the one resource to add".into(),
            ),
        }
    }
    let count = imports.len();
    let mut blocks = Vec::new();
    let uses_caller = account.is_none()
        && imports.iter().chain(&lookups).any(|block| {
            block.body.attributes().any(|attribute| {
                attribute
                    .value
                    .references()
                    .iter()
                    .any(|path| path.join(".") == CALLER)
            })
        });
    blocks.push(Block::new("terraform", &[]).attr("required_version", ""));
    if uses_caller {
        blocks.push(
            Block::new("data", &["aws_caller_identity", "adopt"])
                .comment("The account Terraform runs in, which the ARNs below name."),
        );
    }
    blocks.extend(lookups);
    blocks.extend(imports);
    features::settle_required_version(&mut blocks);
    Ok(Adoption {
        blocks,
        imports: count,
        notes,
    })
}

/// The ID as Terraform reads it: text, with the account where the stack's
/// ARNs name it; `None` when something in it is not known before apply.
fn settle(id: &Expr, account: &dyn Fn(&str) -> Vec<TemplatePart>) -> Option<Expr> {
    match id {
        Expr::String(text) => Some(template(account(text))),
        Expr::Reference(path) if path.first().is_some_and(|root| root == "data") => {
            Some(id.clone())
        }
        Expr::Template(parts) => {
            let mut settled = Vec::new();
            for part in parts {
                match part {
                    TemplatePart::Literal(text) => settled.extend(account(text)),
                    TemplatePart::Interpolation(Expr::Reference(path))
                        if path.first().is_some_and(|root| root == "data") =>
                    {
                        settled.push(part.clone())
                    }
                    TemplatePart::Interpolation(_) => return None,
                }
            }
            Some(template(settled))
        }
        _ => None,
    }
}

/// `text` split where it names the account: the account's ID when known,
/// else the caller's account at plan time.
fn account_parts(text: &str, account: Option<&str>) -> Vec<TemplatePart> {
    let mut parts = Vec::new();
    for (index, piece) in text.split(ACCOUNT).enumerate() {
        if index > 0 {
            match account {
                Some(account) => parts.push(TemplatePart::Literal(account.to_string())),
                None => parts.push(TemplatePart::Interpolation(Expr::reference(CALLER))),
            }
        }
        if !piece.is_empty() {
            parts.push(TemplatePart::Literal(piece.to_string()));
        }
    }
    parts
}

/// Parts as one expression: adjacent text joined, a single text a string.
fn template(parts: Vec<TemplatePart>) -> Expr {
    let mut joined: Vec<TemplatePart> = Vec::new();
    for part in parts {
        match (joined.last_mut(), part) {
            (Some(TemplatePart::Literal(last)), TemplatePart::Literal(text)) => {
                last.push_str(&text)
            }
            (_, part) => joined.push(part),
        }
    }
    match joined.as_slice() {
        [] => Expr::from(""),
        [TemplatePart::Literal(text)] => Expr::from(text.as_str()),
        [TemplatePart::Interpolation(only)] => only.clone(),
        _ => Expr::Template(joined),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::Document;
    use crate::render::render_hcl;
    use crate::stack::Profile;

    fn stacks() -> Vec<Stack> {
        let prod = Config::built_in().environment("prod").unwrap().clone();
        [Profile::Seed, Profile::Hardened]
            .into_iter()
            .flat_map(|profile| {
                [false, true].map(|pipeline| {
                    let mut environment = prod.clone();
                    environment.profile = profile;
                    environment.pipeline = pipeline;
                    Stack::build(&environment)
                })
            })
            .collect()
    }

    #[test]
    fn every_resource_of_every_profile_says_how_it_is_imported() {
        for stack in stacks() {
            for item in &stack.items {
                let resources = item
                    .blocks()
                    .iter()
                    .filter(|block| block.kind == "resource")
                    .count();
                assert_eq!(
                    item.import(&stack).is_some(),
                    resources > 0,
                    "{} ({}): import",
                    item.address(),
                    stack.profile
                );
            }
        }
    }

    #[test]
    fn ids_name_the_account_terraform_runs_in_unless_tfgen_hcl_names_one() {
        let stack = &stacks()[3];
        let unknown = imports(stack, None, &[]).unwrap();
        let text = render_hcl(&Document::new(unknown.blocks));
        assert!(
            text.contains("data \"aws_caller_identity\" \"adopt\" {}"),
            "{text}"
        );
        assert!(text.contains(
            "  id = \"arn:aws:iam::${data.aws_caller_identity.adopt.account_id}:policy/service-role/tf-mlops-codebuild-prod\"\n"
        ), "{text}");
        assert!(text.contains("required_version = \">= 1.6.0\""), "{text}");
        let known = imports(stack, Some("210987654321"), &[]).unwrap();
        let text = render_hcl(&Document::new(known.blocks));
        assert!(!text.contains("aws_caller_identity"), "{text}");
        assert!(
            text.contains("arn:aws:iam::210987654321:policy/service-role/tf-mlops-codebuild-prod")
        );
        // The credential is not imported without its ID, and says so.
        assert_eq!(known.notes.len(), 1);
        assert_eq!(known.notes[0].severity, Severity::Note);
    }
}
