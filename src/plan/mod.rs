//! `tfgen plan-summary`: what `terraform apply` will do, read from what
//! `terraform show -json PLAN` writes, for one environment or many.
//!
//! [`read`] takes the plan's JSON (only the parts a review needs: the
//! resource changes, the drift a refresh found, the output changes);
//! [`summary`] works out, per environment, what each resource does and
//! which attributes change (Terraform's sensitive values masked, unknown
//! ones said), each IAM policy statement by statement on the resolved
//! values (the statement matching of `tfgen diff`), lint's findings on what
//! a policy newly grants, and the gate: a destroy or replacement of what
//! keeps data (`stack::resources::KEEPERS`); [`report`] writes it as text,
//! markdown for a pull-request comment, or JSON.

pub mod read;
pub mod report;
pub mod summary;

pub use read::{Plan, PlanError};
pub use summary::{Gate, Summary, environment};
