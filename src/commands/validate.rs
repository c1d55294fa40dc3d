//! `tfgen validate`: every AWS rule on every environment, and how close each
//! policy document is to its size limit.

use serde_json::{Map, Value, json};

use super::verdict::{JsonDiagnostic, envelope};
use super::{Outcome, Report, select};
use crate::cli::{ValidateArgs, VerdictFormat};
use crate::config::Config;
use crate::error::Result;
use crate::validate::{advice, map_valid, policy_sizes, selection};

pub fn run(config: &Config, args: &ValidateArgs) -> Result<Report> {
    let selected = select(config, args.env.as_deref())?;
    let json = args.format == VerdictFormat::Json;
    // Each environment's lines (or JSON) are made on the thread that
    // checked it; the stacks are not kept.
    let made = map_valid(
        config,
        &selection(config, &selected),
        |environment, stack| {
            let advice = advice(&stack);
            let sizes = policy_sizes(&stack);
            if json {
                let mut diagnostics: Vec<JsonDiagnostic> = advice.iter().map(Into::into).collect();
                for diagnostic in &mut diagnostics {
                    diagnostic
                        .environment
                        .get_or_insert(environment.name.clone());
                }
                let sizes: Vec<Value> = sizes
                    .iter()
                    .map(|size| {
                        json!({
                            "field": size.field,
                            "characters": size.characters,
                            "limit": size.limit,
                            "percent": (size.percent() * 10.0).round() / 10.0,
                        })
                    })
                    .collect();
                let found = json!({
                    "name": environment.name,
                    "profile": stack.profile.name(),
                    "defined_at": environment.origin.to_string(),
                    "policy_sizes": sizes,
                });
                return Ok(Made::Json(diagnostics, found));
            }
            let mut lines = format!(
                "{}: ok (profile {}, defined at {})\n",
                environment.name, stack.profile, environment.origin
            );
            for diagnostic in advice {
                for line in diagnostic.to_string().lines() {
                    lines.push_str(&format!("  {line}\n"));
                }
            }
            for size in sizes {
                lines.push_str(&format!(
                    "  {}: {} of {} characters ({:.1}%)\n",
                    size.field,
                    size.characters,
                    size.limit,
                    size.percent()
                ));
            }
            Ok(Made::Text(lines))
        },
    )?;
    if !json {
        let text: String = made
            .into_iter()
            .filter_map(|made| match made {
                Made::Text(lines) => Some(lines),
                Made::Json(..) => None,
            })
            .collect();
        return Ok(Report::success(text));
    }
    let mut diagnostics = Vec::new();
    let mut environments = Vec::new();
    for made in made {
        if let Made::Json(advice, found) = made {
            diagnostics.extend(advice);
            environments.push(found);
        }
    }
    let mut found = Map::new();
    found.insert("environments".into(), Value::Array(environments));
    Ok(Report::success(envelope(
        "validate",
        Outcome::Success,
        &diagnostics,
        found,
    )?))
}

/// What one environment's check made: the text report's lines, or its
/// advice and entry for the JSON one.
enum Made {
    Text(String),
    Json(Vec<JsonDiagnostic>, Value),
}
