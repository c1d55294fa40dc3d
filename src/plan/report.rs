//! A plan summary as text for a terminal, markdown for a pull-request
//! comment (a collapsed section per environment, the whole comment within
//! GitHub's 65,536 characters: what does not fit is counted, never cut
//! mid-line), or JSON for a bot. All three say the same things: the counts,
//! the gate, each resource with its attributes and policy statements, the
//! outputs, and lint's findings on new grants.

use serde::Serialize;

use super::summary::{
    AttributeChange, Counts, EnvironmentSummary, GateItem, OutputSummary, ResourceSummary, Summary,
    drift_sentences,
};
use crate::diff::PolicyChange;
use crate::diff::report::{fence_for, inline_code, markdown_text, permission_line};
use crate::terminal::escape_line;

/// The most characters GitHub takes in a comment.
pub const COMMENT_LIMIT: usize = 65_536;

fn heading(summary: &Summary) -> String {
    let count = summary.environments.len();
    let noun = if count == 1 {
        "environment"
    } else {
        "environments"
    };
    match summary.drift {
        true => {
            let drifted = summary
                .environments
                .iter()
                .filter(|environment| !environment.resources.is_empty())
                .count();
            format!("{count} {noun}, {drifted} drifted outside Terraform")
        }
        false => format!("{count} {noun}: {}", summary.total().describe()),
    }
}

fn environment_line(environment: &EnvironmentSummary, drift: bool) -> String {
    match drift {
        true if environment.resources.is_empty() => "no drift".to_string(),
        true => format!("{} resource(s) drifted", environment.resources.len()),
        false if environment.counts.is_empty() => "no changes".to_string(),
        false => environment.counts.describe(),
    }
}

fn gate_line(item: &GateItem, level: &str) -> String {
    format!(
        "{level}[{}]: {}: {}",
        item.rule,
        item.environment,
        escape_line(&item.message)
    )
}

fn allow_help(item: &GateItem) -> String {
    format!(
        "if it is meant, let the pull request say so: --allow-destroy {}:{}",
        item.environment, item.address
    )
}

/// The report for a terminal.
pub fn render_text(summary: &Summary) -> String {
    let mut out = format!("tfgen plan-summary: {}\n", heading(summary));
    let gate = &summary.gate;
    if !summary.drift {
        out.push_str(&match gate.passed() {
            true => "gate: passed\n".to_string(),
            false => format!("gate: failed ({} error(s))\n", gate.errors.len()),
        });
    }
    for item in &gate.errors {
        out.push_str(&format!(
            "{}\n  help: {}\n",
            gate_line(item, "error"),
            allow_help(item)
        ));
    }
    for item in &gate.allowed {
        out.push_str(&format!(
            "{} (allowed with --allow-destroy)\n",
            gate_line(item, "allowed")
        ));
    }
    for item in &gate.warnings {
        out.push_str(&format!("{}\n", gate_line(item, "warning")));
    }
    for environment in &summary.environments {
        out.push_str(&format!(
            "\n=== environment {} ({}): {}\n",
            environment.name,
            escape_line(&environment.source),
            environment_line(environment, summary.drift)
        ));
        for resource in &environment.resources {
            out.push('\n');
            text_resource(&mut out, resource, summary.drift);
        }
        for output in &environment.outputs {
            out.push_str(&format!("\n{}\n", output_line(output)));
        }
        for finding in &environment.findings {
            out.push_str(&format!(
                "\n{}[{}]: {} {}: {}\n  fix: {}\n",
                finding.severity,
                finding.rule,
                finding.field,
                finding.statement_label(),
                escape_line(&finding.message),
                escape_line(&finding.fix)
            ));
        }
    }
    out
}

fn resource_title(resource: &ResourceSummary) -> String {
    let mut title = format!(
        "{} {} ({}",
        resource.action.mark(),
        resource.address,
        resource.action.name()
    );
    if resource.importing {
        title.push_str(", imported");
    }
    if let Some(from) = &resource.moved_from {
        title.push_str(&format!(", moved from {from}"));
    }
    title.push(')');
    title
}

fn attribute_line(attribute: &AttributeChange) -> String {
    let forces = if attribute.forces_replacement {
        "  # forces replacement"
    } else {
        ""
    };
    let (old, new) = shown(attribute);
    let (old, new) = (
        old.as_deref().map(escape_line),
        new.as_deref().map(escape_line),
    );
    match (old, new) {
        (Some(old), Some(new)) => format!("~ {}: {old} → {new}{forces}", attribute.path),
        (None, Some(new)) => format!("+ {} = {new}{forces}", attribute.path),
        (Some(old), None) => format!("- {} = {old}{forces}", attribute.path),
        (None, None) => format!("~ {}", attribute.path),
    }
}

fn policy_lines(policy: &PolicyChange) -> Vec<String> {
    let mut lines: Vec<String> = policy.document.iter().map(permission_line).collect();
    for statement in &policy.statements {
        lines.push(format!(
            "{} statement {}",
            statement.change.mark(),
            statement.label
        ));
        lines.extend(
            statement
                .lines
                .iter()
                .map(|line| format!("    {}", permission_line(line))),
        );
    }
    lines
}

fn text_resource(out: &mut String, resource: &ResourceSummary, drift: bool) {
    out.push_str(&resource_title(resource));
    out.push('\n');
    if drift {
        for sentence in drift_sentences(resource) {
            out.push_str(&format!("    drift: {}\n", escape_line(&sentence)));
        }
    } else {
        for attribute in &resource.attributes {
            out.push_str(&format!("    {}\n", attribute_line(attribute)));
        }
    }
    for policy in &resource.policies {
        out.push_str(&format!("    ~ {} (IAM policy)\n", policy.attribute));
        for line in policy_lines(policy) {
            out.push_str(&format!("        {line}\n"));
        }
    }
}

fn output_line(output: &OutputSummary) -> String {
    let value = |value: &Option<String>| value.as_deref().map_or("—".to_string(), escape_line);
    format!(
        "{} output {}: {} → {}",
        output.action.mark(),
        output.name,
        value(&output.old),
        value(&output.new)
    )
}

/// The report as markdown for a pull-request comment, at most
/// [`COMMENT_LIMIT`] characters.
pub fn render_markdown(summary: &Summary) -> String {
    render_markdown_within(summary, COMMENT_LIMIT)
}

/// [`render_markdown`] within `limit` characters: the heading, the gate and
/// the table of environments always; then each environment's section, one
/// resource at a time while they fit, and a line counting what does not.
pub fn render_markdown_within(summary: &Summary, limit: usize) -> String {
    let mut out = String::from("## tfgen plan-summary\n\n");
    out.push_str(&format!("**{}**\n", markdown_text(&heading(summary))));
    let gate = &summary.gate;
    if !summary.drift {
        if gate.passed() {
            out.push_str("\n**Gate:** passed\n");
        } else {
            out.push_str(&format!(
                "\n> [!CAUTION]\n> **Gate: failed.** {} destroy(s) or replacement(s) of what keeps data\n",
                gate.errors.len()
            ));
            for item in &gate.errors {
                out.push_str(&format!(
                    "> - `error[{}]` {}: {} (to allow it: `--allow-destroy {}:{}`)\n",
                    item.rule,
                    inline_code(&item.environment),
                    markdown_text(&item.message),
                    item.environment,
                    item.address
                ));
            }
        }
        if !gate.allowed.is_empty() {
            out.push_str("\n> [!NOTE]\n> **Allowed by the pull request** (`--allow-destroy`)\n");
            for item in &gate.allowed {
                out.push_str(&format!(
                    "> - {}: {}\n",
                    inline_code(&item.environment),
                    markdown_text(&item.message)
                ));
            }
        }
        if !gate.warnings.is_empty() {
            out.push_str("\n> [!WARNING]\n> **New broad grants**\n");
            for item in &gate.warnings {
                out.push_str(&format!(
                    "> - `warning[{}]` {}: {}\n",
                    item.rule,
                    inline_code(&item.environment),
                    markdown_text(&item.message)
                ));
            }
        }
    }
    out.push_str("\n| Environment | Add | Change | Replace | Destroy | Import |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for environment in &summary.environments {
        let c = &environment.counts;
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            inline_code(&environment.name),
            c.add,
            c.change,
            c.replace,
            c.destroy,
            c.import
        ));
    }
    // What every section's opening and closing take, and the line that
    // counts what is left out, are kept free.
    const NOTE_ROOM: usize = 200;
    let mut left_out = 0usize;
    let total: usize = summary
        .environments
        .iter()
        .map(|environment| {
            environment.resources.len() + environment.outputs.len() + environment.findings.len()
        })
        .sum();
    for environment in &summary.environments {
        // Inside HTML, HTML: the name escaped as text.
        let open = format!(
            "\n<details><summary><code>{}</code>: {}</summary>\n",
            html_text(&environment.name),
            html_text(&environment_line(environment, summary.drift))
        );
        let close = "\n</details>\n";
        if out.len() + open.len() + close.len() + NOTE_ROOM > limit {
            left_out += environment.resources.len()
                + environment.outputs.len()
                + environment.findings.len();
            continue;
        }
        out.push_str(&open);
        let mut blocks: Vec<String> = environment
            .resources
            .iter()
            .map(|resource| markdown_resource(resource, summary.drift))
            .collect();
        blocks.extend(environment.outputs.iter().map(markdown_output));
        blocks.extend(environment.findings.iter().map(|finding| {
            format!(
                "\n- `{}[{}]` {} {}: {} — {}\n",
                finding.severity,
                finding.rule,
                inline_code(&finding.field),
                markdown_text(&finding.statement_label()),
                markdown_text(&finding.message),
                markdown_text(&finding.fix)
            )
        }));
        for block in blocks {
            if out.len() + block.len() + close.len() + NOTE_ROOM > limit {
                left_out += 1;
                continue;
            }
            out.push_str(&block);
        }
        out.push_str(close);
    }
    if left_out > 0 {
        out.push_str(&format!(
            "\n_{left_out} of {total} entries do not fit in a comment: run `tfgen plan-summary` on the plans for the whole summary._\n"
        ));
    }
    out
}

fn markdown_resource(resource: &ResourceSummary, drift: bool) -> String {
    let mut how = resource.action.name().to_string();
    if resource.importing {
        how.push_str(", imported");
    }
    if let Some(from) = &resource.moved_from {
        how.push_str(&format!(", moved from {}", inline_code(from)));
    }
    let mut out = format!(
        "\n#### {} {} ({how})\n",
        inline_code(resource.action.mark()),
        inline_code(&resource.address)
    );
    if drift {
        for sentence in drift_sentences(resource) {
            out.push_str(&format!("\n- {}", markdown_text(&sentence)));
        }
        out.push('\n');
    }
    if !drift && !resource.attributes.is_empty() {
        out.push_str("\n| Attribute | Old | New |\n| --- | --- | --- |\n");
        for attribute in &resource.attributes {
            let cell =
                |value: &Option<String>| value.as_deref().map_or("—".to_string(), inline_code);
            let forces = if attribute.forces_replacement {
                " (forces replacement)"
            } else {
                ""
            };
            let (old, new) = shown(attribute);
            out.push_str(&format!(
                "| {}{forces} | {} | {} |\n",
                inline_code(&attribute.path),
                cell(&old),
                cell(&new)
            ));
        }
    }
    for policy in &resource.policies {
        let lines = policy_lines(policy);
        let fence = fence_for(&lines);
        out.push_str(&format!(
            "\n**{}** (IAM policy)\n\n{fence}diff\n",
            inline_code(&policy.attribute)
        ));
        for line in lines {
            // A `diff` block colours by the first character.
            out.push_str(line.trim_start());
            out.push('\n');
        }
        out.push_str(&fence);
        out.push('\n');
    }
    out
}

fn markdown_output(output: &OutputSummary) -> String {
    let cell = |value: &Option<String>| value.as_deref().map_or("—".to_string(), inline_code);
    format!(
        "\n- output {} ({}): {} → {}\n",
        inline_code(&output.name),
        output.action.name(),
        cell(&output.old),
        cell(&output.new)
    )
}

/// Text for inside an HTML element.
fn html_text(text: &str) -> String {
    escape_line(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A value cut to a width a review reads, around where two values first
/// differ (the JSON report keeps them whole).
fn shown(attribute: &AttributeChange) -> (Option<String>, Option<String>) {
    crate::diff::display_pair(attribute.old.clone(), attribute.new.clone())
}

/// The report as JSON.
pub fn render_json(summary: &Summary) -> String {
    let report = JsonSummary::of(summary);
    let mut text = serde_json::to_string_pretty(&report).expect("a summary serializes");
    text.push('\n');
    text
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    drift: bool,
    totals: JsonCounts,
    gate: JsonGate<'a>,
    environments: Vec<JsonEnvironment<'a>>,
}

#[derive(Serialize)]
struct JsonCounts {
    add: usize,
    change: usize,
    replace: usize,
    destroy: usize,
    import: usize,
    forget: usize,
    moved: usize,
}

impl From<Counts> for JsonCounts {
    fn from(c: Counts) -> Self {
        JsonCounts {
            add: c.add,
            change: c.change,
            replace: c.replace,
            destroy: c.destroy,
            import: c.import,
            forget: c.forget,
            moved: c.moved,
        }
    }
}

#[derive(Serialize)]
struct JsonGate<'a> {
    passed: bool,
    errors: Vec<JsonGateItem<'a>>,
    warnings: Vec<JsonGateItem<'a>>,
    allowed: Vec<JsonGateItem<'a>>,
}

#[derive(Serialize)]
struct JsonGateItem<'a> {
    rule: &'a str,
    environment: &'a str,
    address: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonEnvironment<'a> {
    name: &'a str,
    source: &'a str,
    terraform_version: Option<&'a str>,
    counts: JsonCounts,
    resources: Vec<JsonResource<'a>>,
    outputs: Vec<JsonOutput<'a>>,
    findings: &'a [crate::lint::Finding],
}

#[derive(Serialize)]
struct JsonResource<'a> {
    address: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    action: &'static str,
    moved_from: Option<&'a str>,
    importing: bool,
    attributes: Vec<JsonAttribute<'a>>,
    policies: Vec<JsonPolicy<'a>>,
    /// With `--drift`: what changed outside Terraform, in sentences.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    drift: Vec<String>,
}

#[derive(Serialize)]
struct JsonAttribute<'a> {
    path: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
    forces_replacement: bool,
}

/// A policy's statements as `tfgen diff --format json` writes them.
#[derive(Serialize)]
struct JsonPolicy<'a> {
    attribute: &'a str,
    statements: &'a [crate::diff::StatementChange],
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    name: &'a str,
    action: &'static str,
    old: Option<&'a str>,
    new: Option<&'a str>,
}

impl<'a> JsonSummary<'a> {
    fn of(summary: &'a Summary) -> JsonSummary<'a> {
        let items = |items: &'a [GateItem]| {
            items
                .iter()
                .map(|item| JsonGateItem {
                    rule: item.rule,
                    environment: &item.environment,
                    address: &item.address,
                    message: &item.message,
                })
                .collect()
        };
        JsonSummary {
            drift: summary.drift,
            totals: summary.total().into(),
            gate: JsonGate {
                passed: summary.gate.passed(),
                errors: items(&summary.gate.errors),
                warnings: items(&summary.gate.warnings),
                allowed: items(&summary.gate.allowed),
            },
            environments: summary
                .environments
                .iter()
                .map(|environment| JsonEnvironment {
                    name: &environment.name,
                    source: &environment.source,
                    terraform_version: environment.terraform_version.as_deref(),
                    counts: environment.counts.into(),
                    resources: environment
                        .resources
                        .iter()
                        .map(|resource| json_resource(resource, summary.drift))
                        .collect(),
                    outputs: environment
                        .outputs
                        .iter()
                        .map(|output| JsonOutput {
                            name: &output.name,
                            action: output.action.name(),
                            old: output.old.as_deref(),
                            new: output.new.as_deref(),
                        })
                        .collect(),
                    findings: &environment.findings,
                })
                .collect(),
        }
    }
}

fn json_resource(resource: &ResourceSummary, drift: bool) -> JsonResource<'_> {
    JsonResource {
        address: &resource.address,
        kind: &resource.kind,
        action: resource.action.name(),
        moved_from: resource.moved_from.as_deref(),
        importing: resource.importing,
        attributes: resource
            .attributes
            .iter()
            .map(|attribute| JsonAttribute {
                path: &attribute.path,
                old: attribute.old.as_deref(),
                new: attribute.new.as_deref(),
                forces_replacement: attribute.forces_replacement,
            })
            .collect(),
        policies: resource
            .policies
            .iter()
            .map(|policy| JsonPolicy {
                attribute: &policy.attribute,
                statements: &policy.statements,
            })
            .collect(),
        drift: match drift {
            true => drift_sentences(resource),
            false => Vec::new(),
        },
    }
}
