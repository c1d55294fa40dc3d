//! `tfgen diff` (placeholder until the semantic diff lands).

use std::path::Path;

use super::Report;
use crate::cli::DiffArgs;
use crate::error::{Error, Result};

pub fn run(_config: Option<&Path>, _args: &DiffArgs) -> Result<Report> {
    Err(Error::Usage("diff is not implemented yet".into()))
}
