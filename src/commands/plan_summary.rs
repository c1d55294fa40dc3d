//! `tfgen plan-summary PLAN.json...`: what applying the plans does, per
//! environment, and the gate (exit 1 when a plan destroys or replaces
//! what keeps data and the pull request did not allow it; with `--drift`,
//! exit 1 when anything changed outside Terraform). No `tfgen.hcl` needed:
//! the plans say everything.

use std::path::{Component, Path};

use super::{Outcome, Report};
use crate::cli::{PlanFormat, PlanSummaryArgs};
use crate::error::{Error, Result};
use crate::plan::read::parse;
use crate::plan::report::{render_json, render_markdown, render_text};
use crate::plan::summary::{Allowed, EnvironmentSummary, Summary, environment};
use crate::terminal::display_path;

pub fn run(args: &PlanSummaryArgs) -> Result<Report> {
    if args.env.is_some() && args.plans.len() > 1 {
        return Err(Error::Usage(
            "--env names the environment of one plan; with several, each plan's environment is the directory after out/ in its path (out/prod/hcl/plan.json)\n  help: give one plan with --env, or plans under out/<env>/".into(),
        ));
    }
    let names: Vec<String> = args
        .plans
        .iter()
        .map(|path| args.env.clone().unwrap_or_else(|| environment_of(path)))
        .collect();
    for (index, name) in names.iter().enumerate() {
        if let Some(first) = names[..index].iter().position(|other| other == name) {
            return Err(Error::Usage(format!(
                "{} and {} are both plans of environment \"{name}\"\n  help: give one plan per environment",
                display_path(&args.plans[first]),
                display_path(&args.plans[index])
            )));
        }
    }
    // Each plan is read, parsed and summarized on one of the processors,
    // and its text dropped: a plan is mostly state no summary shows.
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(args.plans.len().div_ceil(8))
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let summarize_next = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(path) = args.plans.get(index) else {
                break;
            };
            done.push((index, summarize_file(path, &names[index], args.drift)));
        }
        done
    };
    let mut results: Vec<(usize, Result<EnvironmentSummary>)> = if workers == 1 {
        summarize_next()
    } else {
        std::thread::scope(|scope| {
            let threads: Vec<_> = (0..workers).map(|_| scope.spawn(summarize_next)).collect();
            threads
                .into_iter()
                .flat_map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    results.sort_by_key(|(index, _)| *index);
    let environments = results
        .into_iter()
        .map(|(_, summary)| summary)
        .collect::<Result<Vec<_>>>()?;
    let allowed: Vec<Allowed> = args
        .allow_destroy
        .iter()
        .map(|text| Allowed::parse(text))
        .collect();
    let summary = Summary::new(args.drift, environments, &allowed);
    let report = match args.format {
        PlanFormat::Text => crate::terminal::escape_controls(&render_text(&summary)).into_owned(),
        PlanFormat::Markdown => render_markdown(&summary),
        PlanFormat::Json => render_json(&summary),
    };
    let failed = match args.drift {
        true => summary
            .environments
            .iter()
            .any(|environment| !environment.resources.is_empty()),
        false => !summary.gate.passed(),
    };
    Ok(Report {
        report,
        notes: String::new(),
        outcome: if failed {
            Outcome::Failure
        } else {
            Outcome::Success
        },
    })
}

/// One plan file's summary, as environment `name`.
fn summarize_file(path: &Path, name: &str, drift: bool) -> Result<EnvironmentSummary> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::io("read", path, source))?;
    let plan = parse(&text).map_err(|error| Error::Plan {
        path: path.to_path_buf(),
        position: Some((error.line, error.column)),
        message: error.message,
    })?;
    if plan.errored {
        return Err(Error::Plan {
            path: path.to_path_buf(),
            position: None,
            message: "Terraform stopped planning at an error: the plan is incomplete".into(),
        });
    }
    Ok(environment(name, &display_path(path), &plan, drift))
}

/// The environment a plan's path names: the directory after `out/`
/// (`out/prod/hcl/plan.json`), else the file's name without `.json` and a
/// `.plan` or `.tfplan` before it.
fn environment_of(path: &Path) -> String {
    let parts: Vec<&str> = path
        .components()
        .filter_map(|component| match component {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect();
    if let Some(position) = parts.iter().rposition(|part| *part == "out")
        && position + 2 < parts.len()
    {
        return parts[position + 1].to_string();
    }
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("plan");
    let name = name.strip_suffix(".json").unwrap_or(name);
    let name = name
        .strip_suffix(".plan")
        .or_else(|| name.strip_suffix(".tfplan"))
        .unwrap_or(name);
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_is_the_directory_after_out_else_the_file_name() {
        assert_eq!(environment_of(Path::new("out/prod/hcl/plan.json")), "prod");
        assert_eq!(environment_of(Path::new("/ci/out/dev/json/x.json")), "dev");
        assert_eq!(
            environment_of(Path::new("plans/staging.tfplan.json")),
            "staging"
        );
        assert_eq!(environment_of(Path::new("out/qa.json")), "qa");
    }
}
