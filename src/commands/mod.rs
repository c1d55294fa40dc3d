//! One function per subcommand, and the outcome contract they share.
//!
//! Each command does all its work in memory, then writes once: output goes
//! to the writer it is given (stdout in the binary), so nothing is printed
//! half-way when an error stops it.

mod adopt;
mod check;
mod completions;
mod diff;
mod envs;
mod graph;
mod lint;
mod plan_summary;
mod render;
mod validate;
mod verdict;

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{Cli, Command, ReportFormat, VerdictFormat};
use crate::config::{Config, Environment};
use crate::error::{Error, Result};
pub(crate) use crate::validate::build_valid;

/// How a command that ran to completion ended; errors are `Err` (exit 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: `check` found drift, `diff` a difference, `lint` a finding at
    /// the `--deny` level. The report is already written.
    Failure,
    /// Exit 2: an error stopped the command, and it is already reported
    /// (`--format json` writes it as the verdict's envelope).
    Error,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Failure => ExitCode::from(1),
            Outcome::Error => ExitCode::from(2),
        }
    }
}

impl Error {
    /// True when the reader of stdout went away (`tfgen render | head -1`):
    /// not an error worth reporting.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Runs a parsed command line, writing its report to stdout and its
/// warnings and notes to stderr.
pub fn run(cli: &Cli) -> Result<Outcome> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    run_with(cli, &mut out, &mut err)
}

/// Runs a parsed command line, writing its report to `out` and its
/// warnings and notes (deprecated images, a step for a person) to `err`.
///
/// A command whose exit code is a verdict (`check`, `lint`, `diff`,
/// `validate`) keeps it when the reader of its output goes away early
/// (`tfgen check | head -1` in a CI gate must still fail on drift); the
/// others end quietly (the broken pipe error, which `main` maps to 0).
pub fn run_with(cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let config = || Config::load(cli.config.as_deref());
    let (text, is_verdict) = match &cli.command {
        Command::Render(args) => (render::run(&config()?, args)?, false),
        Command::Check(args) => (
            // `check` escapes its diffs itself, before colouring them.
            verdict::or_error_envelope(
                args.format == VerdictFormat::Json,
                "check",
                config().and_then(|config| check::run(&config, args, colour_enabled())),
            )?,
            true,
        ),
        Command::Diff(args) => (
            verdict_report(
                args.format == ReportFormat::Json,
                "diff",
                diff::run(cli.config.as_deref(), args),
            )?,
            true,
        ),
        Command::Validate(args) => (
            verdict_report(
                args.format == VerdictFormat::Json,
                "validate",
                config().and_then(|config| validate::run(&config, args)),
            )?,
            true,
        ),
        Command::Adopt(args) => (escaped(adopt::run(&config()?, args)?), false),
        Command::PlanSummary(args) => (plan_summary::run(args)?, true),
        Command::Lint(args) if !args.paths.is_empty() => (lint::run_paths(args)?, true),
        Command::Lint(args) => (lint::run(&config()?, args)?, true),
        Command::Envs(args) => (envs::run(&config()?, args)?, false),
        Command::Graph(args) => (graph::run(&config()?, args)?, false),
        Command::Completions(args) => (completions::completions(args.shell)?, false),
        Command::Man => (completions::man()?, false),
    };
    // Advice is no verdict: a closed stderr loses it, nothing else.
    let _ = err
        .write_all(crate::terminal::escape_controls(&text.notes).as_bytes())
        .and_then(|()| err.flush());
    let written = out
        .write_all(text.report.as_bytes())
        .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(text.outcome),
        Err(source) if is_verdict && source.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(text.outcome)
        }
        Err(source) => Err(Error::io("write", "standard output", source)),
    }
}

/// The report of a verdict with `--format json` or not: a JSON report as
/// it is (JSON escapes control characters itself, and a `\u{1b}` written
/// into it would no longer be JSON), an error as the envelope; a report for
/// people [`escaped`].
fn verdict_report(json: bool, command: &'static str, result: Result<Report>) -> Result<Report> {
    let result = result.map(|report| if json { report } else { escaped(report) });
    verdict::or_error_envelope(json, command, result)
}

/// A report with control characters from values escaped (`check` escapes
/// its diffs itself, before colouring them).
fn escaped(report: Report) -> Report {
    Report {
        report: crate::terminal::escape_controls(&report.report).into_owned(),
        ..report
    }
}

/// What a command produced: the report for stdout, the warnings and notes
/// for stderr, and the outcome.
pub struct Report {
    pub report: String,
    pub notes: String,
    pub outcome: Outcome,
}

impl Report {
    fn success(report: String) -> Report {
        Report {
            report,
            notes: String::new(),
            outcome: Outcome::Success,
        }
    }

    /// The report with `advice` for stderr, one diagnostic after another.
    fn with_advice(self, advice: &[crate::error::Diagnostic]) -> Report {
        let mut notes = self.notes;
        for diagnostic in advice {
            notes.push_str(&format!("tfgen: {diagnostic}\n"));
        }
        Report { notes, ..self }
    }
}

/// The environments a command works on: one by name, or all of them.
fn select<'a>(config: &'a Config, name: Option<&str>) -> Result<Vec<&'a Environment>> {
    match name {
        Some(name) => Ok(vec![config.environment(name)?]),
        None => Ok(config.environments.iter().collect()),
    }
}

/// Colour for terminals, never when piped or when `NO_COLOR` is set.
fn colour_enabled() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        && std::io::stdout().is_terminal()
}

/// Leaves a command's large values to the end of the process instead of
/// freeing them node by node: the process exits right after the command,
/// and the system takes the memory back at once (freeing the stack and
/// document of `render --env prod` was 5% of its instructions). Only for
/// values a command builds once, never in a loop, so a library caller that
/// runs many commands holds at most one such set per command.
fn keep_until_exit<T>(value: T) {
    std::mem::forget(value);
}
