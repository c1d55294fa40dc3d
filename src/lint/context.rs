//! What lint knows of a stack beyond its policy documents: which services
//! act as each role (declared by the resources that use them, see
//! [`crate::stack::StackItem::role_uses`]) and the ARNs of the resources it
//! creates. The trust rules and `iam-arn-outside-stack` read it; `tfgen lint
//! PATH` has no stack, so those rules are exact where they run and silent
//! where they cannot be.

use std::cell::RefCell;
use std::collections::HashMap;

use super::arn::parse_arn;
use crate::model::Expr;
use crate::stack::{Address, PLACEHOLDER_ACCOUNT, RoleUser, Stack};

/// A stack's values as lint reads them, each reference resolved once:
/// [`Stack::resolve`] searches the stack's items, and lint's values name
/// the same few (`var.region`, `local.account_id`, a bucket's ARN) in
/// statement after statement.
pub struct StackValues<'s> {
    stack: &'s Stack,
    resolved: RefCell<HashMap<Vec<String>, Option<String>>>,
}

impl<'s> StackValues<'s> {
    pub fn of(stack: &'s Stack) -> StackValues<'s> {
        StackValues {
            stack,
            resolved: RefCell::new(HashMap::new()),
        }
    }

    /// [`Stack::evaluate`]: the value of an expression with every
    /// reference resolved, or `None`.
    pub fn evaluate(&self, expr: &Expr) -> Option<String> {
        expr.evaluate_string(&|path| self.resolve(path))
    }

    fn resolve(&self, path: &[String]) -> Option<String> {
        if let Some(value) = self.resolved.borrow().get(path) {
            return value.clone();
        }
        let value = self.stack.resolve(path);
        self.resolved
            .borrow_mut()
            .insert(path.to_vec(), value.clone());
        value
    }
}

/// The facts of one stack, gathered once before its policies are linted.
pub struct StackContext {
    /// The roles of the stack, each with what uses it.
    roles: Vec<RoleContext>,
    /// The ARN of every resource of the stack that has one before apply.
    resource_arns: Vec<String>,
}

struct RoleContext {
    /// The role's trust policy field (`aws_iam_role.x.assume_role_policy`).
    trust_field: String,
    users: Vec<RoleUser>,
}

/// Where an ARN stands against the stack's resources.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Placement {
    /// A stack resource's ARN, a path under one, or a name the stack
    /// defines: written from its variables, locals and resources (a
    /// CloudFormation stack, a SageMaker pipeline its builds create at run
    /// time), in its own account.
    Stack,
    /// A pattern (a wildcard in the region, the account or the name), which
    /// names nothing by itself: the any-resource rules judge its reach.
    Pattern,
    /// In an account the stack cannot name.
    OtherAccount(String),
    /// A literal ARN that is no resource of the stack; the stack's own of
    /// the same kind are listed (none when it creates no such resource).
    NotTheStacks {
        kind: String,
        stack_arns: Vec<String>,
    },
}

/// The path IAM reserves for service-linked roles: AWS creates them in the
/// account when a service first needs one, so no stack creates them.
const SERVICE_LINKED_ROLE_PATH: &str = "role/aws-service-role/";

impl StackContext {
    pub fn of(stack: &Stack) -> StackContext {
        let users = stack.role_users();
        let roles = stack
            .items
            .iter()
            .filter(|item| {
                matches!(
                    item.address(),
                    Address::Resource {
                        kind: "aws_iam_role",
                        ..
                    }
                )
            })
            .map(|role| {
                let address = role.address();
                RoleContext {
                    trust_field: format!("{address}.assume_role_policy"),
                    users: users
                        .iter()
                        .filter(|user| user.role.as_ref() == Some(&address))
                        .cloned()
                        .collect(),
                }
            })
            .collect();
        let resource_arns = stack
            .items
            .iter()
            .filter(|item| matches!(item.address(), Address::Resource { .. }))
            .filter_map(|item| item.value(&["arn".to_string()], stack))
            .collect();
        StackContext {
            roles,
            resource_arns,
        }
    }

    /// What uses the role whose trust policy is `trust_field`, or `None`
    /// when the field is no role's trust policy.
    pub(super) fn users_of(&self, trust_field: &str) -> Option<&[RoleUser]> {
        self.roles
            .iter()
            .find(|role| role.trust_field == trust_field)
            .map(|role| role.users.as_slice())
    }

    /// Where `value` (a resolved, well-formed ARN) stands; `from_stack` says
    /// whether it was written from the stack's values (`${var.region}`,
    /// `${local.account_id}`, `${aws_s3_bucket.x.arn}`) or as literal text.
    pub(super) fn placement(&self, value: &str, from_stack: bool) -> Placement {
        let Ok(arn) = parse_arn(value) else {
            return Placement::Pattern;
        };
        let is_stack_arn = |stack_arn: &String| {
            value
                .strip_prefix(stack_arn.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', ':']))
        };
        if self.resource_arns.iter().any(is_stack_arn) {
            return Placement::Stack;
        }
        let name = ["/*", ":*"]
            .iter()
            .find_map(|child| arn.resource.strip_suffix(child))
            .unwrap_or(arn.resource);
        if [arn.region, arn.account, name]
            .iter()
            .any(|part| part.contains(['*', '?']))
        {
            return Placement::Pattern;
        }
        if !arn.account.is_empty() && arn.account != PLACEHOLDER_ACCOUNT {
            return Placement::OtherAccount(arn.account.to_string());
        }
        if arn.service == "iam" && arn.resource.starts_with(SERVICE_LINKED_ROLE_PATH) {
            return Placement::Stack;
        }
        if from_stack {
            return Placement::Stack;
        }
        let kind = kind_of(value);
        let stack_arns: Vec<String> = self
            .resource_arns
            .iter()
            .filter(|stack_arn| kind_of(stack_arn) == kind)
            .cloned()
            .collect();
        Placement::NotTheStacks {
            kind: kind_name(&kind),
            stack_arns,
        }
    }
}

/// `codebuild project`, `s3 bucket`, `codecommit repository`: how findings
/// name a kind.
fn kind_name(kind: &[&str]) -> String {
    match kind {
        ["s3", ""] => "s3 bucket".to_string(),
        [service, ""] => format!("{service} resource"),
        parts => parts.join(" "),
    }
}

/// An ARN's service and resource type (`["codebuild", "project"]`); a
/// service whose resources are bare names (`codecommit`, `s3` buckets) has
/// the type `""`, and so do S3 objects: a path under a bucket is judged by
/// its bucket.
fn kind_of(value: &str) -> Vec<&str> {
    let Ok(arn) = parse_arn(value) else {
        return Vec::new();
    };
    let kind = match arn.service {
        "s3" => "",
        _ => arn
            .resource
            .find(['/', ':'])
            .map_or("", |end| &arn.resource[..end]),
    };
    vec![arn.service, kind]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::policy::PrincipalValue;

    #[test]
    fn stack_values_are_what_the_stack_evaluates() {
        let config = Config::built_in();
        for environment in ["dev", "prod"] {
            let stack = Stack::build(config.environment(environment).unwrap());
            let values = StackValues::of(&stack);
            let mut checked = 0;
            for policy in stack.policies() {
                for statement in &policy.document.statements {
                    let principals =
                        statement
                            .principal
                            .iter()
                            .flat_map(|principal| match &principal.values {
                                PrincipalValue::Typed(kinds) => kinds.as_slice(),
                                PrincipalValue::Anyone => &[],
                            });
                    let exprs = (statement.action.iter().map(|action| &action.values))
                        .chain(statement.resource.iter().map(|resource| &resource.values))
                        .chain(statement.condition.iter().flat_map(|condition| {
                            condition.entries.iter().map(|(_, values)| values)
                        }))
                        .chain(principals.map(|(_, values)| values))
                        .flat_map(|values| values.items());
                    for expr in exprs {
                        // Twice: the second answer comes from what was kept.
                        assert_eq!(values.evaluate(expr), stack.evaluate(expr), "{expr:?}");
                        assert_eq!(values.evaluate(expr), stack.evaluate(expr), "{expr:?}");
                        checked += 1;
                    }
                }
            }
            assert!(checked > 50, "{environment}: {checked} values");
        }
    }

    fn context(arns: &[&str]) -> StackContext {
        StackContext {
            roles: Vec::new(),
            resource_arns: arns.iter().map(|arn| arn.to_string()).collect(),
        }
    }

    const PROJECT: &str = "arn:aws:codebuild:eu-west-1:123456789012:project/sagemaker-p-build";
    const GROUP: &str = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/codebuild/p";
    const BUCKET: &str = "arn:aws:s3:::artifacts";

    #[test]
    fn a_stack_arn_and_paths_under_it_are_the_stack() {
        let stack = context(&[PROJECT, GROUP, BUCKET]);
        for value in [
            PROJECT.to_string(),
            format!("{GROUP}:*"),
            format!("{BUCKET}/*"),
            BUCKET.to_string(),
        ] {
            assert_eq!(stack.placement(&value, true), Placement::Stack, "{value}");
        }
    }

    #[test]
    fn names_written_from_the_stack_are_its_own_and_literal_ones_are_not() {
        let stack = context(&[PROJECT]);
        let pipeline = "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/p-1";
        assert_eq!(stack.placement(pipeline, true), Placement::Stack);
        assert_eq!(
            stack.placement(pipeline, false),
            Placement::NotTheStacks {
                kind: "sagemaker pipeline".into(),
                stack_arns: Vec::new(),
            }
        );
    }

    #[test]
    fn another_account_is_outside_and_patterns_are_not_judged() {
        let stack = context(&[PROJECT]);
        assert_eq!(
            stack.placement("arn:aws:iam::999999999999:role/admin", true),
            Placement::OtherAccount("999999999999".into())
        );
        for pattern in [
            "arn:aws:ecr:eu-west-1:*:repository/sagemaker-xgboost",
            "arn:aws:codebuild:eu-west-1:123456789012:project/sagemaker-*",
            "arn:aws:s3:::*sagemaker*",
        ] {
            assert_eq!(
                stack.placement(pattern, false),
                Placement::Pattern,
                "{pattern}"
            );
        }
    }

    #[test]
    fn a_literal_name_of_a_kind_the_stack_creates_lists_the_stack_own() {
        let stack = context(&[PROJECT, BUCKET]);
        assert_eq!(
            stack.placement(
                "arn:aws:codebuild:eu-west-1:123456789012:project/other",
                false
            ),
            Placement::NotTheStacks {
                kind: "codebuild project".into(),
                stack_arns: vec![PROJECT.into()],
            }
        );
        assert_eq!(
            stack.placement(
                "arn:aws:s3:::sagemaker-sample-files/datasets/churn.txt",
                false
            ),
            Placement::NotTheStacks {
                kind: "s3 bucket".into(),
                stack_arns: vec![BUCKET.into()],
            }
        );
    }

    #[test]
    fn service_linked_roles_belong_to_aws() {
        let stack = context(&["arn:aws:iam::123456789012:role/service-role/r"]);
        let linked = "arn:aws:iam::123456789012:role/aws-service-role/\
                      sagemaker.application-autoscaling.amazonaws.com/AWSServiceRole";
        assert_eq!(stack.placement(linked, false), Placement::Stack);
    }
}
