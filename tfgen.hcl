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
