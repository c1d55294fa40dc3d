//! `aws_codecommit_repository`: a Git repository the pipeline builds from
//! (the model-build code, the model-deploy code).

use super::lifecycle;
use crate::model::{Block, Expr};
use crate::stack::rules::NameRule;
use crate::stack::rules::Namespace;
use crate::stack::{Address, Checks, Import, Stack, StackFile, StackItem, UniqueName};

const KIND: &str = "aws_codecommit_repository";

/// The team's code and its history. Renaming is done in place
/// (`UpdateRepositoryName`); only the clone URLs change.
pub const KEEPS: super::Keeps = super::Keeps {
    kind: KIND,
    what: "the team's code, its branches and its history",
    tier: super::Tier::Data,
    replaced_when: &[],
};
const NAME_RULE: NameRule = NameRule {
    length_rule: "codecommit-repository-name-length",
    charset_rule: "codecommit-repository-name-charset",
    service: "CodeCommit",
    what: "repository name",
    min: 1,
    max: 100,
    allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'),
    allowed_text: "letters, digits, '.', '_' and '-'",
};

#[derive(Debug, Clone, PartialEq)]
pub struct CodeCommitRepository {
    pub label: String,
    pub repository_name: Expr,
    pub description: String,
    /// checkov checks that do not apply, with the reason, emitted as
    /// `#checkov:skip=ID:reason` inside the resource.
    pub checkov_skips: Vec<(&'static str, &'static str)>,
    /// `lifecycle { prevent_destroy = true }`: the team's code is in it.
    pub prevent_destroy: bool,
}

impl CodeCommitRepository {
    /// A repository named by the variable `name_variable`.
    pub fn named_by(label: &str, name_variable: &str, description: &str) -> Self {
        CodeCommitRepository {
            label: label.to_string(),
            repository_name: Expr::reference(&format!("var.{name_variable}")),
            description: description.to_string(),
            checkov_skips: Vec::new(),
            prevent_destroy: false,
        }
    }
}

impl StackItem for CodeCommitRepository {
    fn unique_names(&self) -> Vec<UniqueName> {
        vec![UniqueName::of(
            self,
            "repository_name",
            &self.repository_name,
            Namespace::regional_with(
                "codecommit-repository-name-unique",
                "CodeCommit repository name",
                "give each environment its own build_repository_name and deploy_repository_name, or distinct account_id values or regions",
            ),
        )]
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::new("codecommit")
    }

    fn checkov_skips(&self) -> &[(&'static str, &'static str)] {
        &self.checkov_skips
    }

    fn blocks(&self) -> Vec<Block> {
        let block = super::skipping(
            Block::new("resource", &[KIND, &self.label]),
            &self.checkov_skips,
        );
        let block = block
            .attr("repository_name", self.repository_name.clone())
            .attr("description", self.description.as_str());
        vec![lifecycle(block, self.prevent_destroy)]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let name = || stack.evaluate(&self.repository_name);
        match attribute {
            [attribute] if attribute == "repository_name" || attribute == "id" => name(),
            [attribute] if attribute == "arn" => stack.arn("codecommit", &name()?),
            [attribute] if attribute == "clone_url_http" => Some(format!(
                "https://git-codecommit.{}.amazonaws.com/v1/repos/{}",
                stack.region()?,
                name()?
            )),
            _ => None,
        }
    }

    /// A repository is imported by its name.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.repository_name.clone()))
    }

    /// CodeCommit's naming rules: 1 to 100 letters, digits, `.`, `_` and
    /// `-`, not ending in `.git`.
    fn check(&self, checks: &mut Checks<'_>) {
        let field = format!("{}.repository_name", self.address());
        let Some(name) = checks.resource_name(&self.repository_name, &field, &NAME_RULE) else {
            return;
        };
        if name.to_ascii_lowercase().ends_with(".git") {
            checks.report(
                "codecommit-repository-name-suffix",
                checks.origin_of(&self.repository_name),
                &field,
                format!("repository name \"{name}\" ends with \".git\", which CodeCommit reserves"),
                "drop the .git suffix",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Origin;
    use crate::stack::{Checks, Profile, Setting, Stack, StackInput};

    fn stack(settings: &[(&str, &str)]) -> Stack {
        let origin = |column| Origin::File {
            path: "tfgen.hcl".into(),
            line: 3,
            column,
        };
        Stack::build(StackInput {
            environment: "ci".into(),
            profile: Profile::Seed,
            origin: origin(1),
            settings: settings
                .iter()
                .enumerate()
                .map(|(index, (name, value))| Setting {
                    name: name.to_string(),
                    value: value.to_string(),
                    origin: origin(10 * (index + 1)),
                })
                .collect(),
            pipeline: true,
            remote: Default::default(),
            deletion_protection: true,
            source: Default::default(),
            approval: None,
        })
    }

    #[test]
    fn the_repositories_resolve_their_arn_and_clone_url() {
        let stack = stack(&[("region", "eu-west-1")]);
        let path = |text: &str| text.split('.').map(String::from).collect::<Vec<_>>();
        assert_eq!(
            stack.resolve(&path("aws_codecommit_repository.build.arn")),
            Some("arn:aws:codecommit:eu-west-1:123456789012:model-build-pipeline".into())
        );
        assert_eq!(
            stack.resolve(&path("aws_codecommit_repository.deploy.clone_url_http")),
            Some(
                "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/model-deploy-pipeline"
                    .into()
            )
        );
    }

    #[test]
    fn repository_names_follow_codecommit_rules() {
        let long = "r".repeat(101);
        let stack = stack(&[
            ("build_repository_name", &long),
            ("deploy_repository_name", "model deploy.git"),
        ]);
        let mut checks = Checks::new(&stack);
        for item in &stack.items {
            item.check(&mut checks);
        }
        let problems = checks.into_problems();
        let rules: Vec<_> = problems.iter().map(|problem| problem.rule).collect();
        assert_eq!(
            rules,
            [
                "codecommit-repository-name-length",
                "codecommit-repository-name-charset",
                "codecommit-repository-name-suffix"
            ]
        );
        assert_eq!(
            problems[1].to_string(),
            "error[codecommit-repository-name-charset]: tfgen.hcl:3:20: environment \"ci\": aws_codecommit_repository.deploy.repository_name: repository name \"model deploy.git\" contains ' '; CodeCommit allows letters, digits, '.', '_' and '-'\n  help: remove the character from the variables the name is built from"
        );
    }
}
