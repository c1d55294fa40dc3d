//! `tfgen validate`: every AWS rule on every environment, and how close each
//! policy document is to its size limit.

use super::{Report, build_valid, select};
use crate::cli::ValidateArgs;
use crate::config::Config;
use crate::error::Result;
use crate::validate::policy_sizes;

pub fn run(config: &Config, args: &ValidateArgs) -> Result<Report> {
    let stacks = build_valid(config, select(config, args.env.as_deref())?)?;
    let mut report = String::new();
    for (environment, stack) in &stacks {
        report.push_str(&format!(
            "{}: ok (profile {}, defined at {})\n",
            environment.name, stack.profile, environment.origin
        ));
        for size in policy_sizes(stack) {
            report.push_str(&format!(
                "  {}: {} of {} characters ({:.1}%)\n",
                size.field,
                size.characters,
                size.limit,
                100.0 * size.characters as f64 / size.limit as f64
            ));
        }
    }
    Ok(Report::success(report))
}
