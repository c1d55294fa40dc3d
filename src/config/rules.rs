//! The AWS rules a `tfgen.hcl` value must follow, checked before any stack is
//! built: account IDs, role ARNs, region names, tags, and the variables that
//! become part of names (repositories, the SageMaker project), plus the rules
//! across environments (state locations, IAM names in a shared account).
//!
//! Each rule is a pure function of the value, returning the problem as
//! (rule id, message, help), so the reader in [`super`] can attach the
//! `file:line:col` of the value and the unit tests can check each rule alone.

use crate::error::{Diagnostic, Origin, Severity};
use crate::stack::rules::{Namespace, Scope};
use crate::stack::source::{GitProvider, OutputFormat};

/// One broken rule: (rule id, what is wrong with the value, how to fix it).
pub type Problem = (&'static str, String, &'static str);

/// The longest tag key AWS accepts.
pub const TAG_KEY_MAX: usize = 128;
/// The longest tag value AWS accepts.
pub const TAG_VALUE_MAX: usize = 256;
/// The longest SageMaker project name.
pub const PROJECT_NAME_MAX: usize = 32;
/// The longest SageMaker project ID.
pub const PROJECT_ID_MAX: usize = 20;
/// The longest IAM role name (the last part of a role ARN).
pub const ROLE_NAME_MAX: usize = 64;

/// Every region name AWS publishes in its commercial (`aws`), GovCloud
/// (`aws-us-gov`) and China (`aws-cn`) partitions. Taken from the
/// `partitions[].regions` keys of botocore 1.44.8's `data/endpoints.json`
/// (the table the AWS CLI and SDKs resolve endpoints with); the isolated
/// partitions (ISO, EUSC) are left out since no public account reaches them.
/// Add a region here when AWS opens one.
pub const AWS_REGIONS: [&str; 38] = [
    // aws
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    // aws-us-gov
    "us-gov-east-1",
    "us-gov-west-1",
    // aws-cn
    "cn-north-1",
    "cn-northwest-1",
];

/// An AWS account ID is exactly 12 decimal digits (leading zeros count).
pub fn account_id_problem(value: &str) -> Option<Problem> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((
        "config-account-id",
        format!("account ID \"{value}\" is not 12 digits"),
        "write the 12-digit account number, quoted, e.g. account_id = \"123456789012\"",
    ))
}

/// A region name AWS knows (see [`AWS_REGIONS`]).
pub fn region_problem(value: &str) -> Option<Problem> {
    if AWS_REGIONS.contains(&value) {
        return None;
    }
    Some((
        "config-region",
        format!("\"{value}\" is not an AWS region name"),
        "use a region code such as us-east-1, eu-west-1, us-gov-west-1 or cn-north-1",
    ))
}

/// The account ID inside an IAM role ARN
/// `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`, or the problem with it.
pub fn role_arn_account(value: &str) -> Result<&str, Problem> {
    let not_a_role = || {
        (
            "config-assume-role-arn",
            format!("\"{value}\" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"),
            "write the role's ARN, e.g. assume_role = \"arn:aws:iam::123456789012:role/terraform\"",
        )
    };
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else {
        return Err(not_a_role());
    };
    let partition_known = ["aws", "aws-us-gov", "aws-cn"].contains(partition);
    if *arn != "arn" || !partition_known || *service != "iam" || !region.is_empty() {
        return Err(not_a_role());
    }
    if account_id_problem(account).is_some() {
        return Err(not_a_role());
    }
    let Some(path_and_name) = resource.strip_prefix("role/") else {
        return Err(not_a_role());
    };
    let name = path_and_name.rsplit('/').next().unwrap_or_default();
    let name_ok = (1..=ROLE_NAME_MAX).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    let path_ok = path_and_name
        .chars()
        .all(|c| c == '/' || c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if !name_ok || !path_ok {
        return Err((
            "config-assume-role-arn",
            format!(
                "role name \"{name}\" in \"{value}\" is not 1 to {ROLE_NAME_MAX} of A-Z a-z 0-9 + = , . @ _ -"
            ),
            "fix the role name part of the ARN",
        ));
    }
    Ok(account)
}

/// The role to assume belongs to the environment's account: assuming a role
/// of another account would deploy there, past `allowed_account_ids`.
pub fn role_account_problem(role_arn: &str, account_id: &str) -> Option<Problem> {
    match role_arn_account(role_arn) {
        Ok(account) if account != account_id => Some((
            "config-assume-role-account",
            format!(
                "assume_role \"{role_arn}\" is in account {account}, but account_id is {account_id}"
            ),
            "assume a role of the environment's own account, or fix account_id",
        )),
        _ => None,
    }
}

/// AWS tag keys: 1 to 128 characters of letters, digits, spaces and
/// `_ . : / = + - @`; the `aws:` prefix is AWS's own.
pub fn tag_key_problem(key: &str) -> Option<Problem> {
    let length = key.chars().count();
    if !(1..=TAG_KEY_MAX).contains(&length) {
        return Some((
            "config-tag-key-length",
            format!("tag key \"{key}\" is {length} characters long; AWS allows 1 to {TAG_KEY_MAX}"),
            "shorten the tag key",
        ));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Some((
            "config-tag-key-reserved",
            format!("tag key \"{key}\" starts with \"aws:\", which AWS reserves for its own tags"),
            "choose a key without the aws: prefix",
        ));
    }
    tag_charset_problem("key", key)
}

/// AWS tag values: 0 to 256 characters of the same set as keys.
pub fn tag_value_problem(key: &str, value: &str) -> Option<Problem> {
    let length = value.chars().count();
    if length > TAG_VALUE_MAX {
        return Some((
            "config-tag-value-length",
            format!(
                "the value of tag \"{key}\" is {length} characters long; AWS allows at most {TAG_VALUE_MAX}"
            ),
            "shorten the tag value",
        ));
    }
    tag_charset_problem("value", value)
}

fn tag_charset_problem(what: &str, text: &str) -> Option<Problem> {
    let allowed = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c);
    let bad = text.chars().find(|c| !allowed(*c))?;
    Some((
        "config-tag-charset",
        format!(
            "tag {what} \"{text}\" contains {bad:?}; AWS allows letters, digits, spaces and _ . : / = + - @"
        ),
        "remove or replace the character",
    ))
}

/// SageMaker project names (CreateProject `ProjectName`): 1 to 32 letters
/// and digits, with hyphens only between them (`[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}`).
pub fn project_name_problem(name: &str) -> Option<Problem> {
    hyphenated_alphanumeric_problem(
        name,
        PROJECT_NAME_MAX,
        "sagemaker-project-name",
        "project name",
    )
}

/// SageMaker project IDs (`ProjectId`): 1 to 20 letters and digits, with
/// hyphens only between them (`[a-zA-Z0-9](-*[a-zA-Z0-9])*`).
pub fn project_id_problem(id: &str) -> Option<Problem> {
    hyphenated_alphanumeric_problem(id, PROJECT_ID_MAX, "sagemaker-project-id", "project ID")
}

fn hyphenated_alphanumeric_problem(
    value: &str,
    limit: usize,
    rule: &'static str,
    what: &str,
) -> Option<Problem> {
    let length = value.chars().count();
    let edges_alphanumeric = value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && value.ends_with(|c: char| c.is_ascii_alphanumeric());
    let charset = value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if (1..=limit).contains(&length) && edges_alphanumeric && charset {
        return None;
    }
    Some((
        rule,
        format!(
            "{what} \"{value}\" must be 1 to {limit} letters and digits, with '-' only between them"
        ),
        "use letters, digits and inner hyphens only, e.g. mlops-pipeline",
    ))
}

/// The rule a variable's value must follow, for the variables that become
/// part of a name or an ARN; `None` for the others and for valid values.
pub fn variable_problem(variable: &str, value: &str) -> Option<Problem> {
    match variable {
        "region" => region_problem(value),
        "project_name" => project_name_problem(value),
        "project_id" => project_id_problem(value),
        _ => None,
    }
}

/// The source kinds: the stack's own CodeCommit repositories, or a Git
/// host reached through a CodeConnections connection.
pub const SOURCE_KINDS: [&str; 2] = ["codecommit", "codeconnections"];

/// `source.kind`: one of [`SOURCE_KINDS`].
pub fn source_kind_problem(kind: &str) -> Option<Problem> {
    if SOURCE_KINDS.contains(&kind) {
        return None;
    }
    Some((
        "config-source-kind",
        format!("unknown source kind \"{kind}\""),
        "write kind = \"codecommit\" (the stack's repositories) or kind = \"codeconnections\" (GitHub, GitLab, Bitbucket)",
    ))
}

/// `source.provider`: a provider type CodeConnections connects to.
pub fn git_provider(value: &str) -> Result<GitProvider, Problem> {
    GitProvider::parse(value).ok_or_else(|| {
        (
            "config-source-provider",
            format!(
                "\"{value}\" is not a CodeConnections provider type (GitHub, GitHubEnterpriseServer, GitLab, Bitbucket)"
            ),
            "write provider = \"GitHub\", \"GitHubEnterpriseServer\", \"GitLab\" or \"Bitbucket\", spelled as AWS spells it",
        )
    })
}

/// `source.output_format`: what the source action hands the builds.
pub fn output_format(value: &str) -> Result<OutputFormat, Problem> {
    OutputFormat::parse(value).ok_or_else(|| {
        (
            "config-source-output-format",
            format!("\"{value}\" is not an OutputArtifactFormat of CodeStarSourceConnection"),
            "write output_format = \"CODE_ZIP\" (the default) or \"CODEBUILD_CLONE_REF\" (the builds clone with Git history)",
        )
    })
}

/// A repository's full ID as the provider names it: `owner/name` on GitHub
/// and Bitbucket, `group/[subgroup/...]name` on GitLab. GitHub owners are 1
/// to 39 letters, digits and inner hyphens, names 1 to 100 letters, digits,
/// `.`, `_` and `-`; Bitbucket workspaces and repository slugs are
/// lowercase; GitLab paths start with a letter, digit or `_` and take
/// letters, digits, `_`, `-` and `.`.
pub fn repository_id_problem(provider: GitProvider, value: &str) -> Option<Problem> {
    let parts: Vec<&str> = value.split('/').collect();
    let github_owner = |owner: &str| {
        (1..=39).contains(&owner.len())
            && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !owner.starts_with('-')
            && !owner.ends_with('-')
    };
    let github_name = |name: &str| {
        (1..=100).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            && name != "."
            && name != ".."
    };
    let bitbucket = |part: &str| {
        (1..=62).contains(&part.len())
            && part.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            })
    };
    let gitlab = |part: &str| {
        (1..=255).contains(&part.len())
            && part.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            && !part.ends_with(".git")
            && !part.ends_with(".atom")
    };
    let (valid, form) = match provider {
        GitProvider::GitHub | GitProvider::GitHubEnterpriseServer => (
            matches!(parts.as_slice(), [owner, name] if github_owner(owner) && github_name(name)),
            "owner/name: an owner of 1 to 39 letters, digits and inner '-', a name of 1 to 100 letters, digits, '.', '_' and '-'",
        ),
        GitProvider::Bitbucket => (
            matches!(parts.as_slice(), [workspace, slug] if bitbucket(workspace) && bitbucket(slug)),
            "workspace/repository: lowercase letters, digits, '.', '_' and '-'",
        ),
        GitProvider::GitLab => (
            parts.len() >= 2 && parts.iter().all(|part| gitlab(part)),
            "group/name or group/subgroup/name: each part starting with a letter, digit or '_', of letters, digits, '.', '_' and '-'",
        ),
    };
    if valid {
        return None;
    }
    Some((
        "config-source-repository",
        format!(
            "\"{value}\" is not a {} repository ID ({form})",
            provider.name()
        ),
        "write the repository as its URL names it, without the host: example-org/model-build",
    ))
}

/// A connection ARN,
/// `arn:PARTITION:codeconnections|codestar-connections:REGION:ACCOUNT:connection/UUID`,
/// in the environment's region and, when `account_id` is set, its account.
pub fn connection_arn_problem(
    value: &str,
    account_id: Option<&str>,
    region: &str,
) -> Option<Problem> {
    let malformed = || {
        Some((
            "config-source-connection-arn",
            format!(
                "\"{value}\" is not a connection ARN (arn:aws:codeconnections:REGION:ACCOUNT:connection/ID)"
            ),
            "copy the ARN from Developer Tools > Settings > Connections, or `aws codeconnections list-connections`",
        ))
    };
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, arn_region, account, resource] = parts.as_slice() else {
        return malformed();
    };
    let uuid = |id: &str| {
        let groups: Vec<&str> = id.split('-').collect();
        groups.iter().map(|group| group.len()).eq([8, 4, 4, 4, 12])
            && groups
                .iter()
                .all(|group| group.chars().all(|c| c.is_ascii_hexdigit()))
    };
    let well_formed = *arn == "arn"
        && ["aws", "aws-us-gov", "aws-cn"].contains(partition)
        && ["codeconnections", "codestar-connections"].contains(service)
        && account_id_problem(account).is_none()
        && resource.strip_prefix("connection/").is_some_and(uuid);
    if !well_formed {
        return malformed();
    }
    if *arn_region != region {
        return Some((
            "config-source-connection-region",
            format!(
                "connection \"{value}\" is in region {arn_region}, but the environment deploys to {region}"
            ),
            "a pipeline uses a connection of its own region: create one there, or leave connection_arn out and tfgen creates it",
        ));
    }
    match account_id {
        Some(expected) if expected != *account => Some((
            "config-source-connection-account",
            format!("connection \"{value}\" is in account {account}, but account_id is {expected}"),
            "use a connection of the environment's own account, or fix account_id",
        )),
        _ => None,
    }
}

/// The most file-path patterns a trigger filter takes.
pub const FILE_PATHS_MAX: usize = 8;

/// One `source.file_paths` glob: 1 to 255 characters.
pub fn file_path_problem(path: &str) -> Option<Problem> {
    let length = path.chars().count();
    if (1..=255).contains(&length) {
        return None;
    }
    Some((
        "config-source-file-path",
        format!(
            "file path pattern \"{path}\" is {length} characters long; CodePipeline allows 1 to 255"
        ),
        "write a glob relative to the repository root, e.g. \"pipelines/**\"",
    ))
}

/// An email address SNS can subscribe: `local@domain.tld`, no spaces, at
/// most 254 characters.
pub fn email_problem(address: &str) -> Option<Problem> {
    let valid = address.len() <= 254
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
        && address.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && local.len() <= 64
                && !domain.contains('@')
                && domain.contains('.')
                && domain.split('.').all(|label| {
                    !label.is_empty() && !label.starts_with('-') && !label.ends_with('-')
                })
                && domain
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        });
    if valid {
        return None;
    }
    Some((
        "config-approval-email",
        format!("\"{address}\" is not an email address SNS can subscribe"),
        "write an address such as ml-approvers@example.com",
    ))
}

/// Where an environment's state lives: an object in an S3 bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateLocation {
    pub bucket: String,
    pub key: String,
    pub region: String,
    /// Where the key was set, or the environment block when it is derived.
    pub origin: Origin,
}

/// The key an environment's state takes when `state { key }` is not set.
pub fn default_state_key(environment: &str) -> String {
    format!("{environment}/terraform.tfstate")
}

/// Two environments writing one state object overwrite each other's state:
/// every later environment that reuses an earlier one's bucket and key is an
/// error.
pub fn shared_state_problems<'a>(
    environments: impl IntoIterator<Item = (&'a str, &'a StateLocation)>,
) -> Vec<Diagnostic> {
    // Indexed by location, so that 10,000 environments are not compared
    // pair by pair.
    let mut seen: std::collections::HashMap<(&str, &str), (&str, &StateLocation)> =
        std::collections::HashMap::new();
    let mut problems = Vec::new();
    for (environment, state) in environments {
        let location = (state.bucket.as_str(), state.key.as_str());
        if let Some((first, first_state)) = seen.get(&location) {
            problems.push(Diagnostic {
                severity: Severity::Error,
                rule: "config-state-shared",
                origin: state.origin.clone(),
                environment: Some(environment.to_string()),
                field: Some("state.key".into()),
                message: format!(
                    "state s3://{}/{} is also environment \"{first}\"'s (set at {}); two environments sharing state overwrite each other",
                    state.bucket, state.key, first_state.origin
                ),
                help: "give each environment its own state { key = \"...\" }, or leave key unset to derive it from the name".into(),
            });
        } else {
            seen.insert(location, (environment, state));
        }
    }
    problems
}

/// What one environment would create whose names an account (and, for
/// most services, a region) holds once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountNames<'a> {
    pub environment: &'a str,
    /// `None` when the environment sets no `account_id`: it may land in any
    /// account, so it may collide with every other environment.
    pub account_id: Option<&'a str>,
    /// The region its regional resources are created in.
    pub region: &'a str,
    /// (field, concrete name, where the name came from, its namespace),
    /// e.g. (`aws_iam_role.tf_mlops_role.name`, `tf-mlops-role-prod-1007`,
    /// …, IAM's).
    pub names: std::borrow::Cow<'a, [(String, String, Origin, Namespace)]>,
}

/// Names unique per account (IAM) or per account and region (CodePipeline,
/// CodeBuild, EventBridge, CodeCommit, ...): two environments that may
/// share an account (the same `account_id`, or either without one) and, for
/// a regional name, deploy to the same region must not create the same
/// name, or the second apply fails (or worse, takes over the first's
/// resource). Written over plain names so the stack can feed it the names
/// it resolves for each environment.
pub fn name_collisions(environments: &[AccountNames<'_>]) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    // Each resource type is a namespace of its own: a name is keyed with
    // its type (the field's first part), and a regional one with the
    // region. Indexed, so that 10,000 environments are not compared pair
    // by pair.
    fn kind(field: &str) -> &str {
        field.split('.').next().unwrap_or_default()
    }
    let key = |environment: &'_ AccountNames<'_>,
               field: &'_ str,
               name: &'_ str,
               namespace: &Namespace| {
        let region = match namespace.scope {
            Scope::Region => environment.region.to_string(),
            Scope::Account | Scope::Global => String::new(),
        };
        (kind(field).to_string(), name.to_string(), region)
    };
    let mut created: HashMap<(String, String, String), Vec<usize>> = HashMap::new();
    let mut problems = Vec::new();
    for (index, later) in environments.iter().enumerate() {
        let mut collisions: Vec<(usize, usize)> = Vec::new();
        for (position, (field, name, _, namespace)) in later.names.iter().enumerate() {
            // Global names (S3 buckets) are checked without accounts.
            if namespace.scope == Scope::Global {
                continue;
            }
            let earlier = created
                .get(&key(later, field, name, namespace))
                .map(Vec::as_slice)
                .unwrap_or_default();
            for &other in earlier {
                let may_share_account = match (environments[other].account_id, later.account_id) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                };
                if may_share_account && !collisions.contains(&(other, position)) {
                    collisions.push((other, position));
                }
            }
        }
        collisions.sort_unstable();
        for (other, position) in collisions {
            let earlier = &environments[other];
            let (field, name, origin, namespace) = &later.names[position];
            let account = match (earlier.account_id, later.account_id) {
                (Some(account), Some(_)) => format!("account {account}"),
                _ => "an account (one of them sets no account_id)".to_string(),
            };
            let (place, unique) = match namespace.scope {
                Scope::Region => (
                    format!("{account} in {}", later.region),
                    "per account and region",
                ),
                Scope::Account | Scope::Global => (account, "per account"),
            };
            problems.push(Diagnostic {
                severity: Severity::Error,
                rule: namespace.rule,
                origin: origin.clone(),
                environment: Some(later.environment.to_string()),
                field: Some(field.clone()),
                message: format!(
                    "{} \"{name}\" is also created by environment \"{}\", and both may deploy into {place}; {}s are unique {unique}",
                    namespace.what, earlier.environment, namespace.what
                ),
                help: namespace.help.into(),
            });
        }
        for (field, name, _, namespace) in later.names.iter() {
            if namespace.scope == Scope::Global {
                continue;
            }
            let entry = created
                .entry(key(later, field, name, namespace))
                .or_default();
            if !entry.contains(&index) {
                entry.push(index);
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests;
