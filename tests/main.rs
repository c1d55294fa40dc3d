//! The integration tests: one binary, one module per concept.
//!
//! Modules that run external programs say SKIPPED when `terraform` is not
//! installed; moto and checkov come from `scripts/install-test-tools.sh`
//! (missing in CI, they fail the run).

mod support; // runners for terraform and the moto emulator, rendering helpers

mod changed; // `tfgen envs --changed --base REV` on git repositories with commits
mod cli; // CLI contract: arguments → exit code, stdout, stderr; `check` drift
mod config_fuzz; // arbitrary tfgen.hcl input never panics
mod diff; // `tfgen diff`: semantic diff of resources and IAM permissions
mod gate; // ownership, all-or-nothing writes, Terraform's loading rules, verdicts, escaping
mod golden; // output vs the reference fixtures (semantic) and out/ (bytes)
mod graph; // `tfgen graph`: Mermaid and dot diagrams of a stack
mod history; // the addresses a team's state holds, kept across versions and profiles
mod lint; // `tfgen lint`: exit codes, the reference files, SARIF against its schema
mod roundtrip; // property tests: HCL and JSON read back to the same model
mod verdicts; // `--format json` of check, validate and diff: the envelope and its content
mod workflow; // every tfgen command of the CI workflow and pre-commit hooks runs

mod adoption; // upstream's state under seed and hardened; tfgen adopt of a lost state
mod apply; // terraform apply / plan / destroy against moto, per environment and format
mod checkov; // checkov on the hardened profile
mod emulator_patches; // each moto defect the emulator launcher corrects: still there, and fixed
mod environments; // remote state, locks and the account guard, against moto
mod parliament; // parliament next to tfgen lint on the seed policy
mod plan; // terraform plan: HCL = JSON, seed = the reference
mod plan_summary; // tfgen plan-summary on real plans: fixtures, goldens, the gate, drift
