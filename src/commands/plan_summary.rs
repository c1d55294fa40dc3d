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
use crate::plan::summary::{Allowed, Input, summarize};
use crate::terminal::display_path;

pub fn run(args: &PlanSummaryArgs) -> Result<Report> {
    if args.env.is_some() && args.plans.len() > 1 {
        return Err(Error::Usage(
            "--env names the environment of one plan; with several, each plan's environment is the directory after out/ in its path (out/prod/hcl/plan.json)\n  help: give one plan with --env, or plans under out/<env>/".into(),
        ));
    }
    let mut inputs: Vec<Input> = Vec::with_capacity(args.plans.len());
    for path in &args.plans {
        let text =
            std::fs::read_to_string(path).map_err(|source| Error::io("read", path, source))?;
        let plan = parse(&text).map_err(|error| Error::Plan {
            path: path.clone(),
            position: Some((error.line, error.column)),
            message: error.message,
        })?;
        let environment = args.env.clone().unwrap_or_else(|| environment_of(path));
        if let Some(first) = inputs.iter().find(|input| input.environment == environment) {
            return Err(Error::Usage(format!(
                "{} and {} are both plans of environment \"{environment}\"\n  help: give one plan per environment",
                first.source,
                display_path(path)
            )));
        }
        if plan.errored {
            return Err(Error::Plan {
                path: path.clone(),
                position: None,
                message: "Terraform stopped planning at an error: the plan is incomplete".into(),
            });
        }
        inputs.push(Input {
            environment,
            source: display_path(path),
            plan,
        });
    }
    let allowed: Vec<Allowed> = args
        .allow_destroy
        .iter()
        .map(|text| Allowed::parse(text))
        .collect();
    let summary = summarize(&inputs, &allowed, args.drift);
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
