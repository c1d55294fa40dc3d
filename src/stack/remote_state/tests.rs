//! The exact HCL of each block, through the real printer.

use super::*;
use crate::model::Document;
use crate::render::{Format, render};

fn hcl(blocks: Vec<Block>) -> String {
    render(&Document::new(blocks), Format::Hcl)
}

#[test]
fn backend_is_s3_with_the_native_lock_file() {
    let backend = S3Backend {
        bucket: "example-tfstate".into(),
        key: "prod/terraform.tfstate".into(),
        region: "us-east-1".into(),
    };
    assert_eq!(
        hcl(vec![backend_block(&backend)]),
        "terraform {\n  backend \"s3\" {\n    bucket       = \"example-tfstate\"\n    key          = \"prod/terraform.tfstate\"\n    region       = \"us-east-1\"\n    encrypt      = true\n    use_lockfile = true\n  }\n}\n"
    );
}

#[test]
fn default_tags_name_the_environment_project_and_tfgen() {
    assert_eq!(
        default_tags(
            "prod",
            "aws-sagemaker-terraform-cicd",
            &[
                ("Project".into(), "mlops".into()),
                ("Owner".into(), "ml-platform".into())
            ]
        ),
        [
            ("Environment".to_string(), "prod".to_string()),
            ("Project".to_string(), "mlops".to_string()),
            ("ManagedBy".to_string(), "tfgen".to_string()),
            ("Owner".to_string(), "ml-platform".to_string()),
        ]
    );
}

#[test]
fn provider_guards_the_account_assumes_the_role_and_tags() {
    let settings = ProviderSettings {
        account_id: Some("123456789012".into()),
        assume_role: Some("arn:aws:iam::123456789012:role/terraform".into()),
        tags: default_tags("prod", "p", &[]),
    };
    assert_eq!(
        hcl(vec![provider_block(
            Expr::reference("var.region"),
            &settings
        )]),
        "provider \"aws\" {\n  region              = var.region\n  allowed_account_ids = [\"123456789012\"]\n\n  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/terraform\"\n  }\n\n  default_tags {\n    tags = {\n      Environment = \"prod\"\n      Project     = \"p\"\n      ManagedBy   = \"tfgen\"\n    }\n  }\n}\n"
    );
}

#[test]
fn provider_without_settings_is_the_plain_one() {
    let settings = ProviderSettings {
        account_id: None,
        assume_role: None,
        tags: Vec::new(),
    };
    assert_eq!(
        hcl(vec![provider_block(
            Expr::reference("var.region"),
            &settings
        )]),
        "provider \"aws\" {\n  region = var.region\n}\n"
    );
}

#[test]
fn state_bucket_module_protects_the_bucket() {
    let text = hcl(state_bucket_module(
        "example-tfstate",
        "us-east-1",
        Some("123456789012"),
        90,
    ));
    for expected in [
        "resource \"aws_s3_bucket\" \"state\" {",
        "bucket = \"example-tfstate\"",
        "prevent_destroy = true",
        "allowed_account_ids = [\"123456789012\"]",
        "status = \"Enabled\"",
        "sse_algorithm = \"aws:kms\"",
        "restrict_public_buckets = true",
        "\"aws:SecureTransport\" = \"false\"",
        "noncurrent_days = 90",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(
        state_bucket_directory("123456789012"),
        "_state/123456789012"
    );
}
