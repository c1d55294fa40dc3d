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
    description: "An Allow statement grants permissions-management actions (any iam write, or a \
                  write whose name contains Policy, Acl, Permission or Grant) on every resource. \
                  Warning instead of error when the statement has a Condition, which may be what \
                  scopes it (iam:CreateServiceLinkedRole with iam:AWSServiceName).",
};

pub const WRITE_ANY_RESOURCE: Rule = Rule {
    id: "iam-write-any-resource",
    severity: Severity::Warning,
    description: "An Allow statement grants write actions (any action that is not read; see the \
                  classification) on every resource. Info instead of warning when the statement \
                  has a Condition.",
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
    description: "An ARN's resource type is not one tfgen knows for the service (only the \
                  services of this stack with typed ARNs are checked: states, sagemaker, \
                  codebuild, cloudformation, events, ecr, secretsmanager, logs, iam).",
};

pub const TRUSTED_SERVICE_UNUSED: Rule = Rule {
    id: "iam-trusted-service-unused",
    severity: Severity::Warning,
    description: "The trust policy lets a service principal assume the role, but no Allow \
                  statement granting iam:PassRole in the stack's identity policies names that \
                  service in an iam:PassedToService condition. A service acts as the role only \
                  after the role is passed to it, and a least-privilege policy says to which \
                  services; a PassRole statement without that condition names none.",
};

/// Every rule, in the order findings of one statement are reported.
pub const RULES: [Rule; 12] = [
    PASSROLE_ANY_RESOURCE,
    SERVICE_WILDCARD_ALL_RESOURCES,
    PERMISSIONS_ANY_RESOURCE,
    WRITE_ANY_RESOURCE,
    ALLOW_NOT_RESOURCE,
    ALLOW_NOT_ACTION,
    DUPLICATE_RESOURCE,
    DUPLICATE_ACTION,
    ARN_MALFORMED,
    ARN_RESOURCE_TYPE_CASE,
    ARN_RESOURCE_TYPE_UNKNOWN,
    TRUSTED_SERVICE_UNUSED,
];
