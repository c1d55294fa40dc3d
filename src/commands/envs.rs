//! `tfgen envs`: the environments, their profile and where each is defined.

use super::Report;
use crate::config::Config;

pub fn run(config: &Config) -> Report {
    let width = config
        .names()
        .iter()
        .map(|name| name.len())
        .max()
        .unwrap_or(0)
        .max("ENV".len());
    let mut report = format!("{:width$}  {:8}  DEFINED AT\n", "ENV", "PROFILE");
    for environment in &config.environments {
        report.push_str(&format!(
            "{:width$}  {:8}  {}\n",
            environment.name,
            environment.profile.name(),
            environment.origin
        ));
    }
    Report::success(report)
}
