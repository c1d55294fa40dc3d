//! `aws_iam_policy`: a customer-managed policy, attached to roles by
//! `aws_iam_role_policy_attachment`.

use crate::model::{Block, Expr};
use crate::policy::{PolicyDocument, PolicyKind};
use crate::stack::rules::{Namespace, POLICY_NAME_MAX};
use crate::stack::{Address, Checks, Import, PolicyRef, Stack, StackFile, StackItem, UniqueName};

const KIND: &str = "aws_iam_policy";

/// What the provider reads back from the policy's attachments, which other
/// resources make: it lags one refresh behind them.
pub const MIRRORED: [&str; 1] = ["attachment_count"];

#[derive(Debug, Clone, PartialEq)]
pub struct IamPolicy {
    /// The Terraform name: `tf_mlops_policy`.
    pub label: String,
    pub name: Expr,
    pub path: String,
    pub description: Expr,
    pub document: PolicyDocument,
    /// The file it is written to: beside the role or group it is for.
    pub file: StackFile,
}

impl IamPolicy {
    /// The reference's `aws_iam_policy.tf_mlops_policy`.
    pub fn reference(document: PolicyDocument) -> Self {
        IamPolicy {
            label: "tf_mlops_policy".into(),
            name: Expr::interpolated("tf-mlops-policy-${var.env}-1007"),
            path: "/service-role/".into(),
            description: Expr::interpolated(
                "Policy used in trust relationship with CodeBuild (${var.env})",
            ),
            document,
            file: StackFile::IAM_ROLES,
        }
    }

    /// `aws_iam_policy.<label>`.
    pub fn address(&self) -> String {
        format!("{KIND}.{}", self.label)
    }
}

impl StackItem for IamPolicy {
    fn unique_names(&self) -> Vec<UniqueName> {
        vec![UniqueName::of(self, "name", &self.name, Namespace::IAM)]
    }

    /// A managed policy is imported by its ARN.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(StackItem::reference_to(self, "arn")))
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        self.file
    }

    fn blocks(&self) -> Vec<Block> {
        vec![
            Block::new("resource", &[KIND, &self.label])
                .attr("name", self.name.clone())
                .attr("path", self.path.as_str())
                .attr("description", self.description.clone())
                .attr("policy", self.document.to_jsonencode()),
        ]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let name = || stack.evaluate(&self.name);
        let arn = || {
            Some(format!(
                "arn:aws:iam::{}:policy{}{}",
                stack.account,
                self.path,
                name()?
            ))
        };
        match attribute {
            [attribute] if attribute == "name" => name(),
            // A managed policy's id is its ARN.
            [attribute] if attribute == "arn" || attribute == "id" => arn(),
            _ => None,
        }
    }

    fn policies(&self) -> Vec<PolicyRef<'_>> {
        vec![PolicyRef {
            field: format!("{}.policy", IamPolicy::address(self)),
            kind: PolicyKind::Identity,
            document: &self.document,
            limit: crate::stack::SizeLimit::MANAGED_POLICY,
            star_is_this_resource: false,
        }]
    }

    fn check(&self, checks: &mut Checks<'_>) {
        let field = |name: &str| format!("{}.{name}", IamPolicy::address(self));
        checks.iam_name(
            &self.name,
            &field("name"),
            POLICY_NAME_MAX,
            "iam-policy-name-length",
        );
        checks.iam_path(&self.path, &field("path"));
        checks.iam_description(&self.description, &field("description"));
    }
}
