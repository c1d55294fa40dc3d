//! Every lint rule: its stable id, default severity and description, the
//! text `--format sarif` and the README show.

use super::Severity;

/// A lint rule: its stable id, its severity and what it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub description: &'static str,
}

pub const PASSROLE_ANY_RESOURCE: Rule = Rule {
    id: "iam-passrole-any-resource",
    severity: Severity::Error,
    description: "An Allow statement grants iam:PassRole (or a wildcard that includes it) on every \
                  resource: the role can hand any role, including more privileged ones, to a \
                  service. A Condition does not lower this: iam:PassedToService limits the \
                  services, not the roles.",
};

pub const SERVICE_WILDCARD_ALL_RESOURCES: Rule = Rule {
    id: "iam-service-wildcard-all-resources",
    severity: Severity::Error,
    description: "An Allow statement grants every action of a service (\"s3:*\", \"sagemaker:*\") \
                  or of every service (\"*\") on every resource.",
};

pub const PERMISSIONS_ANY_RESOURCE: Rule = Rule {
    id: "iam-permissions-any-resource",
    severity: Severity::Error,
    description: "An Allow statement grants actions whose access level in AWS's catalogue is \
                  Permissions management (or a wildcard that matches one) on every resource. \
                  Warning instead of error when the statement has a Condition, which may be what \
                  scopes it (iam:CreateServiceLinkedRole with iam:AWSServiceName).",
};

pub const WRITE_ANY_RESOURCE: Rule = Rule {
    id: "iam-write-any-resource",
    severity: Severity::Warning,
    description: "An Allow statement grants actions whose access level in AWS's catalogue is \
                  Write or Tagging (or a wildcard whose worst match is) on every resource. Info \
                  instead of warning when the statement has a Condition.",
};

pub const ALLOW_NOT_RESOURCE: Rule = Rule {
    id: "iam-allow-not-resource",
    severity: Severity::Warning,
    description: "Allow with NotResource grants the actions on every resource except those \
                  listed, including resources and resource types created later.",
};

pub const ALLOW_NOT_ACTION: Rule = Rule {
    id: "iam-allow-not-action",
    severity: Severity::Warning,
    description: "Allow with NotAction grants every action of every service except those listed, \
                  including actions AWS adds later.",
};

pub const DUPLICATE_RESOURCE: Rule = Rule {
    id: "iam-duplicate-resource",
    severity: Severity::Warning,
    description: "The same resource is listed twice in one statement's Resource or NotResource: \
                  harmless to IAM, but usually a different resource was meant.",
};

pub const DUPLICATE_ACTION: Rule = Rule {
    id: "iam-duplicate-action",
    severity: Severity::Warning,
    description: "The same action (compared case-insensitively, as IAM does) is listed twice in \
                  one statement.",
};

pub const ARN_MALFORMED: Rule = Rule {
    id: "iam-arn-malformed",
    severity: Severity::Error,
    description: "A resource is neither \"*\" nor an ARN of at least six colon-separated parts \
                  (arn:partition:service:region:account:resource) with a partition, a service and \
                  a resource.",
};

pub const ARN_RESOURCE_TYPE_CASE: Rule = Rule {
    id: "iam-arn-resource-type-case",
    severity: Severity::Error,
    description: "An ARN's resource type matches one of the service's types only when case is \
                  ignored; ARNs match case-sensitively, so the resource matches nothing.",
};

pub const ARN_RESOURCE_TYPE_UNKNOWN: Rule = Rule {
    id: "iam-arn-resource-type-unknown",
    severity: Severity::Warning,
    description: "An ARN matches none of its service's resource-type ARN patterns in AWS's \
                  catalogue, so it names no resource an action can take.",
};

pub const TRUSTED_SERVICE_UNUSED: Rule = Rule {
    id: "iam-trusted-service-unused",
    severity: Severity::Warning,
    description: "The trust policy lets a service principal assume the role, but no resource of \
                  the stack makes that service act as the role (a CodeBuild project's \
                  service_role, a pipeline's role_arn, an event target's role_arn, a \
                  CloudFormation action's RoleArn, a role a build hands on to SageMaker) and no \
                  Allow statement granting iam:PassRole in the stack's identity policies names \
                  that service in an iam:PassedToService condition. A service acts as the role only \
                  after the role is passed to it, and a least-privilege policy says to which \
                  services; a PassRole statement without that condition names none.",
};

pub const READ_ANY_RESOURCE: Rule = Rule {
    id: "iam-read-any-resource",
    severity: Severity::Info,
    description: "An Allow statement grants List or Read actions on every resource although AWS \
                  lets them be scoped to resource types: the role can read every bucket, secret \
                  or repository of the account, not only the stack's. Actions that accept only \
                  \"*\" (ecr:GetAuthorizationToken, s3:ListAllMyBuckets) are not reported.",
};

pub const ACTION_UNKNOWN: Rule = Rule {
    id: "iam-action-unknown",
    severity: Severity::Error,
    description: "An Action or NotAction value names a service or action that AWS's catalogue \
                  does not have, or is a wildcard that matches no action: IAM accepts it and it \
                  grants nothing, so the permission meant is missing. The fix offers the closest \
                  real name.",
};

pub const RESOURCE_TYPE_MISMATCH: Rule = Rule {
    id: "iam-resource-type-mismatch",
    severity: Severity::Warning,
    description: "An action is granted only on ARNs of resource types it does not take \
                  (states:StartExecution on an execution ARN, or an action that accepts only \
                  \"*\" on an ARN), so that grant matches nothing.",
};

pub const CONDITION_KEY_UNKNOWN: Rule = Rule {
    id: "iam-condition-key-unknown",
    severity: Severity::Warning,
    description: "A Condition uses a service condition key that AWS's catalogue does not define \
                  for that service: the condition can never match as meant.",
};

pub const ROLE_USER_UNTRUSTED: Rule = Rule {
    id: "iam-role-user-untrusted",
    severity: Severity::Error,
    description: "A resource of the stack makes a service act as a role (a CodeBuild project's \
                  service_role, a pipeline's role_arn, an event target's role_arn, a \
                  CloudFormation action's RoleArn, a role a build hands on to SageMaker) whose \
                  trust policy does not let that service assume it: the service fails when it \
                  first uses the role.",
};

pub const ROLE_UNUSED: Rule = Rule {
    id: "iam-role-unused",
    severity: Severity::Warning,
    description: "No resource of the stack acts as the role and no iam:PassRole statement hands \
                  it to a service it trusts: a role nothing uses is standing access to remove. \
                  Reported once for the role instead of once per trusted service.",
};

pub const ARN_OUTSIDE_STACK: Rule = Rule {
    id: "iam-arn-outside-stack",
    severity: Severity::Warning,
    description: "An Allow statement grants on an ARN that names no resource of the stack: a \
                  name in another account, or an ARN written as literal text that is none of \
                  the stack's resources (another team's bucket). A stack resource's ARN or a \
                  path under it (`${bucket.arn}/*`, `log-group:<name>:*`) is fine, and so are \
                  names the stack writes from its variables, locals and resources in its own \
                  account (CloudFormation stacks, SageMaker pipelines and model packages its \
                  services create at run time) and service-linked roles, which AWS creates. \
                  Patterns (a wildcard in the region, account or name) name nothing and are \
                  left to the any-resource rules. Only for a stack: `tfgen lint PATH` does not \
                  know which resources exist.",
};

/// Every rule, in the order findings of one statement are reported.
pub const RULES: [Rule; 19] = [
    PASSROLE_ANY_RESOURCE,
    SERVICE_WILDCARD_ALL_RESOURCES,
    PERMISSIONS_ANY_RESOURCE,
    WRITE_ANY_RESOURCE,
    READ_ANY_RESOURCE,
    ALLOW_NOT_RESOURCE,
    ALLOW_NOT_ACTION,
    DUPLICATE_RESOURCE,
    DUPLICATE_ACTION,
    ARN_MALFORMED,
    ARN_RESOURCE_TYPE_CASE,
    ARN_RESOURCE_TYPE_UNKNOWN,
    ACTION_UNKNOWN,
    RESOURCE_TYPE_MISMATCH,
    CONDITION_KEY_UNKNOWN,
    TRUSTED_SERVICE_UNUSED,
    ROLE_USER_UNTRUSTED,
    ROLE_UNUSED,
    ARN_OUTSIDE_STACK,
];
