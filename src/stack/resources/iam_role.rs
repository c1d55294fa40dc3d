//! `aws_iam_role`: a role a service assumes, with its trust policy.

use crate::model::{Block, Expr};
use crate::policy::{PolicyDocument, PolicyKind};
use crate::stack::rules::{Namespace, ROLE_NAME_MAX};
use crate::stack::{Address, Checks, Import, PolicyRef, Stack, StackFile, StackItem, UniqueName};

const KIND: &str = "aws_iam_role";

/// What the provider reads back from the role's attachments and inline
/// policies when the role does not set them: they are other resources'.
pub const MIRRORED: [&str; 2] = ["inline_policy", "managed_policy_arns"];

#[derive(Debug, Clone, PartialEq)]
pub struct IamRole {
    pub label: String,
    pub name: Expr,
    pub path: String,
    pub max_session_duration: i64,
    pub force_detach_policies: bool,
    pub trust_policy: PolicyDocument,
}

impl IamRole {
    /// The reference's `aws_iam_role.tf_mlops_role`.
    pub fn reference(trust_policy: PolicyDocument) -> Self {
        IamRole {
            label: "tf_mlops_role".into(),
            name: Expr::interpolated("tf-mlops-role-${var.env}-1007"),
            path: "/service-role/".into(),
            max_session_duration: 3600,
            force_detach_policies: false,
            trust_policy,
        }
    }
}

impl StackItem for IamRole {
    fn unique_names(&self) -> Vec<UniqueName> {
        vec![UniqueName::of(self, "name", &self.name, Namespace::IAM)]
    }

    /// A role is imported by its name.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.name.clone()))
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::IAM_ROLES
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("name", self.name.clone())
                .attr("path", self.path.as_str())
                .attr("max_session_duration", self.max_session_duration)
                .attr("force_detach_policies", self.force_detach_policies)
                .attr("tags", Expr::Object(Vec::new()))
                .attr("assume_role_policy", self.trust_policy.to_jsonencode()),
        ]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let name = || stack.evaluate(&self.name);
        match attribute {
            [name_or_id] if name_or_id == "name" || name_or_id == "id" => name(),
            [arn] if arn == "arn" => Some(format!(
                "arn:aws:iam::{}:role{}{}",
                stack.account,
                self.path,
                name()?
            )),
            _ => None,
        }
    }

    fn policies(&self) -> Vec<PolicyRef<'_>> {
        vec![PolicyRef {
            field: format!("{}.assume_role_policy", self.address()),
            kind: PolicyKind::Trust,
            document: &self.trust_policy,
            limit: crate::stack::SizeLimit::TRUST_POLICY,
            star_is_this_resource: false,
        }]
    }

    fn check(&self, checks: &mut Checks<'_>) {
        let field = |name: &str| format!("{}.{name}", self.address());
        checks.iam_name(
            &self.name,
            &field("name"),
            ROLE_NAME_MAX,
            "iam-role-name-length",
        );
        checks.iam_path(&self.path, &field("path"));
        checks.session_duration(self.max_session_duration, &field("max_session_duration"));
    }
}
