//! `aws_codestarconnections_connection`: the CodeConnections connection the
//! pipelines' source actions read the team's GitHub, GitLab or Bitbucket
//! repositories through (CodeStar Connections until its 2024 rename; the
//! provider keeps the old name).
//!
//! A connection Terraform creates is PENDING: the Git host's authorization
//! (an OAuth app or a GitHub App install) is a step in the console that no
//! API can take, so `check` says it as a note and the pipelines' first runs
//! wait for it.

use crate::error::Severity;
use crate::model::{Block, Expr};
use crate::stack::rules::NameRule;
use crate::stack::source::GitProvider;
use crate::stack::{Address, Checks, Import, Stack, StackFile, StackItem};

const KIND: &str = "aws_codestarconnections_connection";

/// The file of the pipelines' source: the connection, or the existing one
/// looked up.
pub const SOURCE: StackFile = StackFile::new("source");

/// The ID AWS gives a connection at creation, as ARNs of the stack show it
/// before apply: a UUID of the real length, so size limits hold.
pub const PLACEHOLDER_CONNECTION_ID: &str = "00000000-0000-0000-0000-000000000000";

/// The service an ARN of a connection the provider creates names: the
/// provider calls the CodeStar Connections API, whose resources keep the
/// `codestar-connections` prefix (the console's, since July 2024, have
/// `codeconnections`).
pub const ARN_SERVICE: &str = "codestar-connections";

const NAME_RULE: NameRule = NameRule {
    length_rule: "codeconnections-connection-name-length",
    charset_rule: "codeconnections-connection-name-charset",
    service: "CodeConnections",
    what: "connection name",
    min: 1,
    max: 32,
    allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'),
    allowed_text: "letters, digits, '.', '_' and '-'",
};

/// The console step a PENDING connection waits for, and the command that
/// shows its status: said by `render` and `validate` and in the README.
pub const APPROVE_STEP: &str = "in the AWS console, Developer Tools > Settings > Connections, select the connection and choose \"Update pending connection\" to authorize the Git host";

/// The command that shows a connection's status (`PENDING`, `AVAILABLE`).
pub fn status_command(arn: &str) -> String {
    format!(
        "aws codeconnections get-connection --connection-arn {arn} --query Connection.ConnectionStatus"
    )
}

#[derive(Debug, Clone, PartialEq)]
pub struct CodeStarConnection {
    pub label: String,
    pub name: Expr,
    pub provider_type: GitProvider,
    /// Where the environment chose this source (`tfgen.hcl`'s `source`).
    pub origin: crate::error::Origin,
}

impl StackItem for CodeStarConnection {
    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        SOURCE
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("name", self.name.clone())
                .attr("provider_type", self.provider_type.name()),
        ]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        match attribute {
            [attribute] if attribute == "arn" || attribute == "id" => stack.arn(
                ARN_SERVICE,
                &format!("connection/{PLACEHOLDER_CONNECTION_ID}"),
            ),
            [attribute] if attribute == "name" => stack.evaluate(&self.name),
            _ => None,
        }
    }

    /// A connection is imported by its ARN, whose ID AWS chose.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::ChosenByAws {
            format: format!("arn:aws:{ARN_SERVICE}:REGION:ACCOUNT:connection/ID"),
            listed_by: format!(
                "aws codeconnections list-connections --provider-type-filter {}",
                self.provider_type.name()
            ),
        })
    }

    fn check(&self, checks: &mut Checks<'_>) {
        let field = format!("{}.name", self.address());
        checks.resource_name(&self.name, &field, &NAME_RULE);
        let name = checks.evaluate(&self.name).unwrap_or_default();
        checks.advise(
            Severity::Note,
            "codeconnections-connection-pending",
            self.origin.clone(),
            &self.address().to_string(),
            format!(
                "connection \"{name}\" ({}) is created PENDING: the pipelines' first runs wait until someone approves it",
                self.provider_type.name()
            ),
            &format!(
                "after apply, {APPROVE_STEP}; `{}` then says AVAILABLE",
                status_command("\"$(terraform output -raw source_connection_arn)\"")
            ),
        );
    }
}
