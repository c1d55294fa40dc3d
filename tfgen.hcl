# The environments tfgen renders. Each one is a root module under out/<env>/.
# A variable not set here takes the reference default; `env` defaults to the
# environment's name. See README.md ("tfgen.hcl") for every key.

environment "dev" {
  profile = "seed"
}

environment "prod" {
  profile  = "hardened"
  pipeline = true
  # Only this account may apply prod (moto's default account, which the
  # emulator tests apply it to); its state is in S3, locked by Terraform.
  account_id = "123456789012"
  state {
    bucket = "sagemaker-mlops-tfstate-123456789012"
    region = "us-east-1"
  }
  tags = { Owner = "ml-platform" }
  variables = {
    repository_branch     = "main"
    artifacts_bucket_name = "sagemaker-artifacts-pipeline-18345-prod"
  }
}

# The pipeline where the code lives on GitHub: a CodeConnections connection
# (created PENDING: approve it once in the console, see README), V2 pipelines
# started by git triggers, and the approvers emailed when a model waits.
environment "staging" {
  profile    = "hardened"
  pipeline   = true
  account_id = "123456789012"
  state {
    bucket = "sagemaker-mlops-tfstate-123456789012"
    region = "us-east-1"
  }
  tags = { Owner = "ml-platform" }
  variables = {
    repository_branch     = "main"
    artifacts_bucket_name = "sagemaker-artifacts-pipeline-18345-staging"
    project_id            = "20261203"
  }
  source {
    kind              = "codeconnections"
    provider          = "GitHub"
    build_repository  = "example-org/model-build"
    deploy_repository = "example-org/model-deploy"
    file_paths        = ["pipelines/**", "setup.py"]
  }
  approval {
    notify = ["ml-approvers@example.com"]
  }
}
