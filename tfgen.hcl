# The environments tfgen renders. Each one is a root module under out/<env>/.
# A variable not set here takes the reference default; `env` defaults to the
# environment's name. See README.md ("tfgen.hcl") for every key.

environment "dev" {
  profile = "seed"
}

environment "prod" {
  profile = "hardened"
  variables = {
    repository_branch     = "main"
    artifacts_bucket_name = "sagemaker-artifacts-pipeline-18345-prod"
  }
}
