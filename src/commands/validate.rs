//! `tfgen validate`: every AWS rule on every environment, and how close each
//! policy document is to its size limit.

use super::{Report, select};
use crate::cli::ValidateArgs;
use crate::config::Config;
use crate::error::Result;
use crate::validate::{advice, map_valid, policy_sizes, selection};

pub fn run(config: &Config, args: &ValidateArgs) -> Result<Report> {
    let selected = select(config, args.env.as_deref())?;
    // Each environment's lines are made on the thread that checked it; the
    // stacks are not kept.
    let lines = map_valid(
        config,
        &selection(config, &selected),
        |environment, stack| {
            let mut lines = format!(
                "{}: ok (profile {}, defined at {})\n",
                environment.name, stack.profile, environment.origin
            );
            for diagnostic in advice(&stack) {
                for line in diagnostic.to_string().lines() {
                    lines.push_str(&format!("  {line}\n"));
                }
            }
            for size in policy_sizes(&stack) {
                lines.push_str(&format!(
                    "  {}: {} of {} characters ({:.1}%)\n",
                    size.field,
                    size.characters,
                    size.limit,
                    100.0 * size.characters as f64 / size.limit as f64
                ));
            }
            Ok(lines)
        },
    )?;
    Ok(Report::success(lines.concat()))
}
