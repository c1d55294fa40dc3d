//! The MLOps foundation as data: variables, the artifacts bucket, the service
//! role, its policy and their attachment, built for one environment.
//!
//! A [`Stack`] is typed values only; it knows nothing of text. It lowers
//! into [`crate::model`] blocks, grouped into the files a user commits, and
//! it exposes its names and policy documents to `validate` and `lint`. A new
//! resource type is a new struct here with a `block()`; printers never change.

mod hardened;
mod resources;
mod seed;

use std::str::FromStr;

pub use resources::{ArtifactsBucket, BucketHardening, ManagedPolicy, Output, ServiceRole};

use crate::config::Environment;
use crate::error::Origin;
use crate::model::{Block, Document, Expr};
use crate::policy::{PolicyDocument, PolicyKind};

/// A variant of the stack. `seed` is the reference exactly; `hardened` adds
/// the bucket protections and a least-privilege policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Profile {
    Seed,
    Hardened,
}

impl Profile {
    pub const ALL: [Profile; 2] = [Profile::Seed, Profile::Hardened];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Seed => "seed",
            Profile::Hardened => "hardened",
        }
    }

    pub fn names() -> Vec<&'static str> {
        Profile::ALL.iter().map(|profile| profile.name()).collect()
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|profile| profile.name() == text)
            .ok_or_else(|| format!("unknown profile \"{text}\""))
    }
}

/// A variable of the stack as the reference declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariableSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub default: &'static str,
    /// A comment the reference keeps above the default.
    pub comment: Option<&'static str>,
}

/// The eight variables of `fixtures/reference/variables.tf`, in its order.
pub const VARIABLES: [VariableSpec; 8] = [
    VariableSpec {
        name: "repository_branch",
        description: "Repository branch to use in the pipeline",
        default: "dev",
        comment: None,
    },
    VariableSpec {
        name: "env",
        description: "Deployment environment",
        default: "dev",
        comment: None,
    },
    VariableSpec {
        name: "region",
        description: "AWS region",
        default: "us-east-1",
        comment: None,
    },
    VariableSpec {
        name: "build_repository_name",
        description: "Build repository name",
        default: "model-build-pipeline",
        comment: Some("Aqui fica o nome do repositório para o código do modelo"),
    },
    VariableSpec {
        name: "deploy_repository_name",
        description: "Deploy repository name",
        default: "model-deploy-pipeline",
        comment: None,
    },
    VariableSpec {
        name: "artifacts_bucket_name",
        description: "S3 Bucket for storing artifacts",
        default: "sagemaker-artifacts-pipeline-18345",
        comment: None,
    },
    VariableSpec {
        name: "project_name",
        description: "Project name",
        default: "aws-sagemaker-terraform-cicd",
        comment: None,
    },
    VariableSpec {
        name: "project_id",
        description: "Project ID",
        default: "10072022",
        comment: None,
    },
];

/// A variable with the value this environment gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub spec: VariableSpec,
    pub value: String,
    pub origin: Origin,
}

/// The files a stack is split into, in order, with their base names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackFile {
    Versions,
    Provider,
    Variables,
    S3,
    IamRoles,
    Outputs,
}

impl StackFile {
    pub const ALL: [StackFile; 6] = [
        StackFile::Versions,
        StackFile::Provider,
        StackFile::Variables,
        StackFile::S3,
        StackFile::IamRoles,
        StackFile::Outputs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            StackFile::Versions => "versions",
            StackFile::Provider => "provider",
            StackFile::Variables => "variables",
            StackFile::S3 => "s3",
            StackFile::IamRoles => "iam_roles",
            StackFile::Outputs => "outputs",
        }
    }
}

/// A policy document of the stack, with where it sits.
pub struct PolicyRef<'a> {
    /// The resource address and argument, e.g. `aws_iam_policy.tf_mlops_policy.policy`.
    pub field: String,
    pub kind: PolicyKind,
    pub document: &'a PolicyDocument,
}

/// The whole stack for one environment.
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    pub environment: String,
    pub profile: Profile,
    pub variables: Vec<Variable>,
    pub artifacts_bucket: ArtifactsBucket,
    pub role: ServiceRole,
    /// The managed policies attached to the role, each with its attachment.
    pub policies: Vec<ManagedPolicy>,
    /// Whether ARNs name the account (`local.account_id`, looked up with
    /// `data.aws_caller_identity`) instead of `*`.
    pub account_scoped: bool,
    pub outputs: Vec<Output>,
}

/// The Terraform and provider versions the output is written for.
pub const REQUIRED_TERRAFORM: &str = ">= 1.5.0";
pub const AWS_PROVIDER_SOURCE: &str = "hashicorp/aws";
pub const AWS_PROVIDER_VERSION: &str = "~> 5.0";

impl Stack {
    /// Builds the stack of an environment: its profile's resources, with the
    /// variables it sets and the reference defaults for the rest (`env`
    /// defaults to the environment's name).
    pub fn build(environment: &Environment) -> Stack {
        let variables = VARIABLES
            .iter()
            .map(|spec| {
                let setting = environment
                    .settings
                    .iter()
                    .find(|setting| setting.name == spec.name);
                match setting {
                    Some(setting) => Variable {
                        spec: *spec,
                        value: setting.value.clone(),
                        origin: setting.origin.clone(),
                    },
                    None if spec.name == "env" => Variable {
                        spec: *spec,
                        value: environment.name.clone(),
                        origin: environment.origin.clone(),
                    },
                    None => Variable {
                        spec: *spec,
                        value: spec.default.to_string(),
                        origin: Origin::BuiltIn(format!(
                            "reference default of variable {}",
                            spec.name
                        )),
                    },
                }
            })
            .collect();
        let (artifacts_bucket, role, policies, account_scoped) = match environment.profile {
            Profile::Seed => (
                ArtifactsBucket::reference(),
                ServiceRole::reference(seed::trust_policy()),
                vec![ManagedPolicy::reference(seed::service_policy())],
                false,
            ),
            Profile::Hardened => (
                ArtifactsBucket {
                    hardening: Some(hardened::bucket_hardening()),
                    ..ArtifactsBucket::reference()
                },
                ServiceRole::reference(hardened::trust_policy()),
                hardened::managed_policies(),
                true,
            ),
        };
        Stack {
            environment: environment.name.clone(),
            profile: environment.profile,
            variables,
            artifacts_bucket,
            role,
            outputs: Output::for_stack(&policies),
            policies,
            account_scoped,
        }
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables
            .iter()
            .find(|variable| variable.spec.name == name)
    }

    /// The blocks of one file.
    pub fn blocks(&self, file: StackFile) -> Vec<Block> {
        match file {
            StackFile::Versions => vec![versions_block()],
            StackFile::Provider => {
                let mut blocks = vec![
                    Block::new("provider", &["aws"]).attr("region", Expr::reference("var.region")),
                ];
                if self.account_scoped {
                    blocks.push(Block::new("data", &["aws_caller_identity", "current"]));
                    blocks.push(Block::new("locals", &[]).attr(
                        "account_id",
                        Expr::reference("data.aws_caller_identity.current.account_id"),
                    ));
                }
                blocks
            }
            StackFile::Variables => self.variables.iter().map(variable_block).collect(),
            StackFile::S3 => self.artifacts_bucket.blocks(),
            StackFile::IamRoles => {
                let policies = self.policies.iter().map(ManagedPolicy::block);
                let attachments = self.policies.iter().map(ManagedPolicy::attachment_block);
                std::iter::once(self.role.block())
                    .chain(policies)
                    .chain(attachments)
                    .collect()
            }
            StackFile::Outputs => self.outputs.iter().map(Output::block).collect(),
        }
    }

    /// The stack split into files, as `--out` and `out/` hold it.
    pub fn files(&self) -> Vec<(StackFile, Document)> {
        StackFile::ALL
            .iter()
            .map(|&file| (file, Document::new(self.blocks(file))))
            .collect()
    }

    /// The whole stack as one document: a root module by itself.
    pub fn document(&self) -> Document {
        Document::new(
            StackFile::ALL
                .iter()
                .flat_map(|&file| self.blocks(file))
                .collect(),
        )
    }

    /// Every policy document, for `validate` and `lint`.
    pub fn policies(&self) -> Vec<PolicyRef<'_>> {
        let mut policies = vec![PolicyRef {
            field: format!("{}.assume_role_policy", ServiceRole::ADDRESS),
            kind: PolicyKind::Trust,
            document: &self.role.trust_policy,
        }];
        for policy in &self.policies {
            policies.push(PolicyRef {
                field: format!("{}.policy", policy.address()),
                kind: PolicyKind::Identity,
                document: &policy.document,
            });
        }
        if let Some(hardening) = &self.artifacts_bucket.hardening {
            policies.push(PolicyRef {
                field: format!("{}.policy", BucketHardening::POLICY_ADDRESS),
                kind: PolicyKind::Resource,
                document: &hardening.bucket_policy,
            });
        }
        policies
    }

    /// The concrete value of a reference, as far as tfgen can know it before
    /// anything is applied: variables, the bucket's name and ARN, the role's
    /// name and ARN (with a placeholder account ID of the real length).
    pub fn resolve(&self, path: &[String]) -> Option<String> {
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let evaluate = |expr: &Expr| expr.evaluate_string(&|path| self.resolve(path));
        match path.as_slice() {
            ["var", name] => self.variable(name).map(|variable| variable.value.clone()),
            ["aws_s3_bucket", "artifacts_bucket", "bucket" | "id"] => {
                evaluate(&self.artifacts_bucket.bucket)
            }
            ["aws_s3_bucket", "artifacts_bucket", "arn"] => Some(format!(
                "arn:aws:s3:::{}",
                evaluate(&self.artifacts_bucket.bucket)?
            )),
            ["aws_iam_role", "tf_mlops_role", "name" | "id"] => evaluate(&self.role.name),
            ["aws_iam_role", "tf_mlops_role", "arn"] => Some(format!(
                "arn:aws:iam::{PLACEHOLDER_ACCOUNT}:role{}{}",
                self.role.path,
                evaluate(&self.role.name)?
            )),
            ["aws_iam_policy", label, attribute @ ("name" | "arn")] => {
                let policy = self.policies.iter().find(|policy| policy.label == *label)?;
                let name = evaluate(&policy.name)?;
                Some(match *attribute {
                    "name" => name,
                    _ => format!(
                        "arn:aws:iam::{PLACEHOLDER_ACCOUNT}:policy{}{name}",
                        policy.path
                    ),
                })
            }
            ["local", "account_id"] | ["data", "aws_caller_identity", "current", "account_id"]
                if self.account_scoped =>
            {
                Some(PLACEHOLDER_ACCOUNT.to_string())
            }
            _ => None,
        }
    }

    /// The value of an expression with every reference resolved, or `None`.
    pub fn evaluate(&self, expr: &Expr) -> Option<String> {
        expr.evaluate_string(&|path| self.resolve(path))
    }
}

/// Account IDs are always 12 digits, so ARNs built with this placeholder have
/// their real length, which is what the size limits need.
pub const PLACEHOLDER_ACCOUNT: &str = "123456789012";

fn versions_block() -> Block {
    let aws = Expr::object([
        ("source", Expr::from(AWS_PROVIDER_SOURCE)),
        ("version", Expr::from(AWS_PROVIDER_VERSION)),
    ]);
    Block::new("terraform", &[])
        .attr("required_version", REQUIRED_TERRAFORM)
        .block(Block::new("required_providers", &[]).attr("aws", aws))
}

fn variable_block(variable: &Variable) -> Block {
    let block = Block::new("variable", &[variable.spec.name])
        .attr("description", variable.spec.description);
    match variable.spec.comment {
        Some(comment) => block.note(comment).attr("default", variable.value.as_str()),
        None => block.attr("default", variable.value.as_str()),
    }
}
