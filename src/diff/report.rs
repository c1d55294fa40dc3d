//! The diff as text for people: plain text for a terminal, markdown (from
//! `templates/diff.md.j2`) for a pull-request comment.
//!
//! Both show the same things in the same order: a summary line, then one
//! entry per block (resources first, then data sources, variables, outputs
//! and the rest), ordinary attributes as `old → new`, and permission changes
//! as `+`/`-` lines per statement. Markdown puts permissions in a ```` ```diff ````
//! block so the forge colours them.

use minijinja::{Value, context};

use super::{BlockChange, Category, Change, Comparison, PermissionLine, PolicyChange};

const MARKDOWN_TEMPLATE: &str = include_str!("../../templates/diff.md.j2");

/// Counts of added, removed and changed things.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

impl Tally {
    fn count(&mut self, change: Change) {
        match change {
            Change::Added => self.added += 1,
            Change::Removed => self.removed += 1,
            Change::Changed => self.changed += 1,
        }
    }

    fn is_empty(&self) -> bool {
        *self == Tally::default()
    }

    /// `6 added, 2 changed`: the non-zero counts.
    fn describe(&self) -> String {
        [
            (self.added, "added"),
            (self.removed, "removed"),
            (self.changed, "changed"),
        ]
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, word)| format!("{count} {word}"))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// One line saying what changed: `resources: 6 added, 2 changed · variables:
/// 3 changed · IAM statements: 14 added, 21 removed, 2 changed`.
pub fn summary(comparison: &Comparison) -> String {
    if comparison.is_empty() {
        return "no difference".to_string();
    }
    let mut parts = Vec::new();
    for category in Category::ALL {
        let mut tally = Tally::default();
        for change in &comparison.changes {
            if change.category == category {
                tally.count(change.change);
            }
        }
        if !tally.is_empty() {
            parts.push(format!("{}: {}", category.noun(2), tally.describe()));
        }
    }
    let mut statements = Tally::default();
    for change in &comparison.changes {
        for policy in &change.policies {
            for statement in &policy.statements {
                statements.count(statement.change);
            }
        }
    }
    if !statements.is_empty() {
        parts.push(format!("IAM statements: {}", statements.describe()));
    }
    parts.join(" · ")
}

/// The sides of a comparison for a title: `out/dev → out/prod`.
fn sides(comparison: &Comparison) -> String {
    format!("{} → {}", comparison.old, comparison.new)
}

/// The report for a terminal.
pub fn render_text(comparisons: &[Comparison]) -> String {
    let mut out = String::new();
    if comparisons.iter().all(Comparison::is_empty) {
        for comparison in comparisons {
            out.push_str(&format!(
                "No difference: {} and {} mean the same.\n",
                comparison.old, comparison.new
            ));
        }
        return out;
    }
    for (index, comparison) in comparisons.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        match &comparison.environment {
            Some(environment) => out.push_str(&format!(
                "=== environment {environment}: {}\n",
                sides(comparison)
            )),
            None => out.push_str(&format!("tfgen diff: {}\n", sides(comparison))),
        }
        out.push_str(&format!("{}\n", summary(comparison)));
        for risk in &comparison.risks {
            out.push_str(&format!(
                "error[{}]: {}\n",
                risk.rule,
                crate::terminal::escape_line(&risk.message)
            ));
        }
        for change in &comparison.changes {
            out.push('\n');
            text_block(&mut out, change);
        }
    }
    out
}

fn text_block(out: &mut String, change: &BlockChange) {
    out.push_str(&format!("{} {}\n", change.change.mark(), change.address));
    let width = change
        .attributes
        .iter()
        .map(|attribute| attribute.name.chars().count())
        .max()
        .unwrap_or(0);
    for attribute in &change.attributes {
        let pad = " ".repeat(width - attribute.name.chars().count());
        let line = match (&attribute.old, &attribute.new) {
            (Some(old), Some(new)) => format!("~ {}:{pad} {old} → {new}", attribute.name),
            (None, Some(new)) => format!("+ {}{pad} = {new}", attribute.name),
            (Some(old), None) => format!("- {}{pad} = {old}", attribute.name),
            (None, None) => continue,
        };
        out.push_str(&format!("    {line}\n"));
    }
    for policy in &change.policies {
        out.push_str(&format!(
            "    {} {} (IAM policy)\n",
            policy_mark(change, policy),
            policy.attribute
        ));
        for line in &policy.document {
            out.push_str(&format!("        {}\n", permission_line(line)));
        }
        for statement in &policy.statements {
            out.push_str(&format!(
                "        {} statement {}\n",
                statement.change.mark(),
                statement.label
            ));
            for line in &statement.lines {
                out.push_str(&format!("            {}\n", permission_line(line)));
            }
        }
    }
}

/// `+` for a policy that appears (with its block or on its own), `-` for one
/// that goes, `~` otherwise.
fn policy_mark(change: &BlockChange, policy: &PolicyChange) -> char {
    let all = |wanted: Change| {
        !policy.statements.is_empty()
            && policy.document.is_empty()
            && policy
                .statements
                .iter()
                .all(|statement| statement.change == wanted)
    };
    match change.change {
        Change::Added | Change::Removed => change.change.mark(),
        Change::Changed if all(Change::Added) => Change::Added.mark(),
        Change::Changed if all(Change::Removed) => Change::Removed.mark(),
        Change::Changed => Change::Changed.mark(),
    }
}

/// `+ Action       s3:GetObject`: the field padded so values line up. The
/// value stays on its line: a line break in it could forge a `+` line.
pub(crate) fn permission_line(line: &PermissionLine) -> String {
    format!(
        "{} {:<12} {}",
        line.sign.mark(),
        line.field,
        crate::terminal::escape_line(&line.value)
    )
}

/// The report as markdown for a pull-request comment.
pub fn render_markdown(comparisons: &[Comparison]) -> String {
    let mut environment = minijinja::Environment::new();
    environment.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    environment.add_filter("code", code);
    environment.add_filter("escape_markdown", escape_markdown);
    let identical = comparisons.iter().all(Comparison::is_empty);
    let comparisons: Vec<Value> = comparisons.iter().map(markdown_comparison).collect();
    environment
        .render_str(
            MARKDOWN_TEMPLATE,
            context! { comparisons => comparisons, identical => identical },
        )
        .expect("the diff template is part of the binary and renders")
}

fn markdown_comparison(comparison: &Comparison) -> Value {
    let changes: Vec<Value> = comparison
        .changes
        .iter()
        .map(|change| {
            let attributes: Vec<Value> = change
                .attributes
                .iter()
                .map(|attribute| {
                    context! {
                        name => &attribute.name,
                        old => &attribute.old,
                        new => &attribute.new,
                    }
                })
                .collect();
            let policies: Vec<Value> = change
                .policies
                .iter()
                .map(|policy| {
                    context! {
                        attribute => &policy.attribute,
                        mark => policy_mark(change, policy).to_string(),
                        fence => fence_for(&diff_lines(policy)),
                        lines => diff_lines(policy),
                    }
                })
                .collect();
            context! {
                address => &change.address,
                change => change.change.name(),
                mark => change.change.mark().to_string(),
                attributes => attributes,
                policies => policies,
            }
        })
        .collect();
    let risks: Vec<Value> = comparison
        .risks
        .iter()
        .map(|risk| context! { rule => risk.rule, address => &risk.address, message => &risk.message })
        .collect();
    context! {
        environment => &comparison.environment,
        old => &comparison.old,
        new => &comparison.new,
        risks => risks,
        summary => summary(comparison),
        identical => comparison.is_empty(),
        changes => changes,
    }
}

/// A policy's changes as the lines of a ```` ```diff ```` block: each
/// statement under an `@@` header, its facts as `+`/`-` lines.
fn diff_lines(policy: &PolicyChange) -> Vec<String> {
    let mut lines: Vec<String> = policy.document.iter().map(permission_line).collect();
    for statement in &policy.statements {
        lines.push(format!(
            "@@ statement {} ({}) @@",
            statement.label,
            statement.change.name()
        ));
        lines.extend(statement.lines.iter().map(permission_line));
    }
    lines
}

/// A code fence longer than any run of backticks in `lines` (at least
/// three), so a value holding ```` ``` ```` cannot end the block early.
pub(crate) fn fence_for(lines: &[String]) -> String {
    let longest_run = lines
        .iter()
        .flat_map(|line| line.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    "`".repeat((longest_run + 1).max(3))
}

/// Prose holding values (a finding's message) as markdown text: every
/// character markdown or HTML could read as markup is escaped with a
/// backslash, and line breaks become spaces, so a value cannot open a link,
/// a tag or a new paragraph.
fn escape_markdown(value: Value) -> String {
    markdown_text(&value.to_string())
}

/// [`escape_markdown`] of a text.
pub(crate) fn markdown_text(text: &str) -> String {
    let text = crate::terminal::escape_line(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // What is markup inside a line; the line's start is the template's.
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A value as inline code fit for a markdown table cell: backticks long
/// enough for the value, `|` escaped; an absent value is an em dash.
fn code(value: Value) -> String {
    if value.is_none() || value.is_undefined() {
        return "—".to_string();
    }
    inline_code(&value.to_string())
}

/// A text as inline code fit for a markdown table cell: backticks long
/// enough for it, `|` escaped.
pub(crate) fn inline_code(text: &str) -> String {
    let text = text.replace('|', "\\|");
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fence_outlasts_every_backtick_run_in_its_block() {
        assert_eq!(fence_for(&["+ Action s3:Get".into()]), "```");
        assert_eq!(
            fence_for(&["+ Action a```b".into(), "- x````".into()]),
            "`````"
        );
    }
}
