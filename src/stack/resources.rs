//! The resources of the stack as typed values, each lowering to one or more
//! model blocks. Field values are model expressions so names can interpolate
//! variables (`tf-mlops-role-${var.env}-1007`) while `validate` can still
//! evaluate them for an environment.

use crate::model::{Block, Expr};
use crate::policy::PolicyDocument;

/// `aws_s3_bucket.artifacts_bucket`, plus the companion resources of the
/// hardened profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ArtifactsBucket {
    pub bucket: Expr,
    pub force_destroy: bool,
    pub hardening: Option<BucketHardening>,
}

/// The protections the hardened profile puts on the artifacts bucket, each
/// lowering to its own `aws_s3_bucket_*` resource.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketHardening {
    /// `"aws:kms"` (the AWS-managed key) or `"AES256"`.
    pub sse_algorithm: String,
    pub bucket_policy: PolicyDocument,
    pub noncurrent_version_expiration_days: i64,
    pub abort_incomplete_multipart_days: i64,
    /// checkov checks that do not apply, with the reason, emitted as
    /// `#checkov:skip=ID:reason` inside the bucket resource.
    pub checkov_skips: Vec<(&'static str, &'static str)>,
}

impl ArtifactsBucket {
    pub const ADDRESS: &'static str = "aws_s3_bucket.artifacts_bucket";

    pub fn reference() -> Self {
        ArtifactsBucket {
            bucket: Expr::reference("var.artifacts_bucket_name"),
            force_destroy: true,
            hardening: None,
        }
    }

    pub fn blocks(&self) -> Vec<Block> {
        let mut bucket = Block::new("resource", &["aws_s3_bucket", "artifacts_bucket"]);
        if let Some(hardening) = &self.hardening {
            for (id, reason) in &hardening.checkov_skips {
                bucket = bucket.directive(&format!("checkov:skip={id}:{reason}"));
            }
        }
        let bucket = bucket
            .attr("bucket", self.bucket.clone())
            .attr("force_destroy", self.force_destroy);
        let mut blocks = vec![bucket];
        if let Some(hardening) = &self.hardening {
            blocks.extend(hardening.blocks());
        }
        blocks
    }
}

impl BucketHardening {
    pub const POLICY_ADDRESS: &'static str = "aws_s3_bucket_policy.artifacts_bucket";

    fn blocks(&self) -> Vec<Block> {
        let bucket_id = || Expr::reference("aws_s3_bucket.artifacts_bucket.id");
        let resource = |kind: &str| {
            Block::new("resource", &[kind, "artifacts_bucket"]).attr("bucket", bucket_id())
        };
        vec![
            resource("aws_s3_bucket_public_access_block")
                .attr("block_public_acls", true)
                .attr("block_public_policy", true)
                .attr("ignore_public_acls", true)
                .attr("restrict_public_buckets", true),
            resource("aws_s3_bucket_ownership_controls")
                .block(Block::new("rule", &[]).attr("object_ownership", "BucketOwnerEnforced")),
            resource("aws_s3_bucket_versioning")
                .block(Block::new("versioning_configuration", &[]).attr("status", "Enabled")),
            resource("aws_s3_bucket_server_side_encryption_configuration").block(
                Block::new("rule", &[])
                    .attr("bucket_key_enabled", true)
                    .block(
                        Block::new("apply_server_side_encryption_by_default", &[])
                            .attr("sse_algorithm", self.sse_algorithm.as_str()),
                    ),
            ),
            resource("aws_s3_bucket_policy")
                .attr("policy", self.bucket_policy.to_jsonencode())
                .attr(
                    "depends_on",
                    Expr::list([Expr::reference(
                        "aws_s3_bucket_public_access_block.artifacts_bucket",
                    )]),
                ),
            resource("aws_s3_bucket_lifecycle_configuration")
                .block(
                    Block::new("rule", &[])
                        .attr("id", "noncurrent-versions-and-incomplete-uploads")
                        .attr("status", "Enabled")
                        .block(Block::new("filter", &[]))
                        .block(
                            Block::new("noncurrent_version_expiration", &[])
                                .attr("noncurrent_days", self.noncurrent_version_expiration_days),
                        )
                        .block(Block::new("abort_incomplete_multipart_upload", &[]).attr(
                            "days_after_initiation",
                            self.abort_incomplete_multipart_days,
                        )),
                )
                .attr(
                    "depends_on",
                    Expr::list([Expr::reference("aws_s3_bucket_versioning.artifacts_bucket")]),
                ),
        ]
    }
}

/// `aws_iam_role.tf_mlops_role`: the pipeline's service role.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRole {
    pub name: Expr,
    pub path: String,
    pub max_session_duration: i64,
    pub force_detach_policies: bool,
    pub trust_policy: PolicyDocument,
}

impl ServiceRole {
    pub const ADDRESS: &'static str = "aws_iam_role.tf_mlops_role";

    pub fn reference(trust_policy: PolicyDocument) -> Self {
        ServiceRole {
            name: Expr::interpolated("tf-mlops-role-${var.env}-1007"),
            path: "/service-role/".into(),
            max_session_duration: 3600,
            force_detach_policies: false,
            trust_policy,
        }
    }

    pub fn block(&self) -> Block {
        Block::new("resource", &["aws_iam_role", "tf_mlops_role"])
            .attr("name", self.name.clone())
            .attr("path", self.path.as_str())
            .attr("max_session_duration", self.max_session_duration)
            .attr("force_detach_policies", self.force_detach_policies)
            .attr("tags", Expr::Object(Vec::new()))
            .attr("assume_role_policy", self.trust_policy.to_jsonencode())
    }
}

/// An `aws_iam_policy` the role gets, attached by its own
/// `aws_iam_role_policy_attachment` named `<label>_attachment`.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedPolicy {
    /// The Terraform name: `tf_mlops_policy`.
    pub label: &'static str,
    pub name: Expr,
    pub path: String,
    pub description: Expr,
    pub document: PolicyDocument,
}

impl ManagedPolicy {
    /// The reference's `aws_iam_policy.tf_mlops_policy`.
    pub fn reference(document: PolicyDocument) -> Self {
        ManagedPolicy {
            label: "tf_mlops_policy",
            name: Expr::interpolated("tf-mlops-policy-${var.env}-1007"),
            path: "/service-role/".into(),
            description: Expr::interpolated(
                "Policy used in trust relationship with CodeBuild (${var.env})",
            ),
            document,
        }
    }

    pub fn address(&self) -> String {
        format!("aws_iam_policy.{}", self.label)
    }

    pub fn block(&self) -> Block {
        Block::new("resource", &["aws_iam_policy", self.label])
            .attr("name", self.name.clone())
            .attr("path", self.path.as_str())
            .attr("description", self.description.clone())
            .attr("policy", self.document.to_jsonencode())
    }

    /// `aws_iam_role_policy_attachment.<label>_attachment`.
    pub fn attachment_block(&self) -> Block {
        let label = format!("{}_attachment", self.label);
        Block::new("resource", &["aws_iam_role_policy_attachment", &label])
            .attr("role", Expr::reference("aws_iam_role.tf_mlops_role.name"))
            .attr(
                "policy_arn",
                Expr::reference(&format!("{}.arn", self.address())),
            )
    }
}

/// An `output` block: what `terraform output` shows after apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub name: String,
    pub description: String,
    pub value: Expr,
}

impl Output {
    /// The bucket's name and ARN, the role's ARN, and each policy's ARN.
    pub fn for_stack(policies: &[ManagedPolicy]) -> Vec<Output> {
        let output = |name: String, description: String, value: &str| Output {
            name,
            description,
            value: Expr::reference(value),
        };
        let mut outputs = vec![
            output(
                "artifacts_bucket_name".into(),
                "Name of the S3 bucket that stores the pipeline's artifacts".into(),
                "aws_s3_bucket.artifacts_bucket.bucket",
            ),
            output(
                "artifacts_bucket_arn".into(),
                "ARN of the artifacts bucket".into(),
                "aws_s3_bucket.artifacts_bucket.arn",
            ),
            output(
                "role_arn".into(),
                "ARN of the pipeline's service role".into(),
                "aws_iam_role.tf_mlops_role.arn",
            ),
        ];
        for policy in policies {
            let stem = policy.label.trim_start_matches("tf_mlops_");
            outputs.push(output(
                format!("{stem}_arn"),
                format!(
                    "ARN of the managed policy {} attached to the service role",
                    policy.label
                ),
                &format!("{}.arn", policy.address()),
            ));
        }
        outputs
    }

    pub fn block(&self) -> Block {
        Block::new("output", &[&self.name])
            .attr("description", self.description.as_str())
            .attr("value", self.value.clone())
    }
}
