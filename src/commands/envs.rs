//! `tfgen envs`: the environments, their profile, account, region, state and
//! output directories. The text table is for people; `--format json` is one
//! line of `{"include": [...]}` that a GitHub Actions `strategy.matrix` reads
//! with `fromJSON`, so CI runs one job per environment, all in parallel.

use serde_json::{Value, json};

use super::Report;
use crate::cli::{EnvsArgs, EnvsFormat};
use crate::config::{Config, Environment};
use crate::generated::tree_directory;
use crate::render::Format;

/// Where `render --all` writes, and so where CI finds each environment.
const OUT_ROOT: &str = "out";

pub fn run(config: &Config, args: &EnvsArgs) -> Report {
    match args.format {
        EnvsFormat::Text => Report::success(table(config)),
        EnvsFormat::Json => Report::success(format!("{}\n", matrix(config))),
    }
}

fn table(config: &Config) -> String {
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
    report
}

/// `{"include": [ENTRY, ...]}`: GitHub Actions expands `include` into one
/// job per entry, each key readable as `matrix.KEY`.
fn matrix(config: &Config) -> Value {
    let entries: Vec<Value> = config.environments.iter().map(entry).collect();
    json!({ "include": entries })
}

fn entry(environment: &Environment) -> Value {
    let directory = |format: Format| {
        std::path::Path::new(OUT_ROOT)
            .join(tree_directory(&environment.name, format))
            .to_string_lossy()
            .into_owned()
    };
    let state = environment
        .state
        .as_ref()
        .map(|state| json!({ "bucket": state.bucket, "key": state.key, "region": state.region }));
    json!({
        "environment": environment.name,
        "profile": environment.profile.name(),
        "account_id": environment.account_id.as_ref().map(|account| account.id.as_str()),
        "region": environment.region(),
        "state": state,
        "hcl_directory": directory(Format::Hcl),
        "json_directory": directory(Format::Json),
        "defined_at": environment.origin.to_string(),
    })
}
