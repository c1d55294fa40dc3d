//! `tfgen lint`: findings on the typed policy documents (placeholder until
//! the linter lands; owned by the lint work).

use super::Report;
use crate::cli::LintArgs;
use crate::config::Config;
use crate::error::{Error, Result};

pub fn run(_config: &Config, _args: &LintArgs) -> Result<Report> {
    Err(Error::Usage("lint is not implemented yet".into()))
}
