//! `tfgen render`: one environment to stdout or `--out DIR`, or every
//! environment into the `out/` tree with `--all`.

use std::path::Path;

use super::{Report, build_valid, select};
use crate::cli::RenderArgs;
use crate::config::{Config, Environment};
use crate::error::Result;
use crate::generated::{HeaderContext, header, split_files, tree, write_tree};
use crate::render::{Format, render};

pub fn run(config: &Config, args: &RenderArgs) -> Result<Report> {
    if args.all {
        let stacks = build_valid(config, select(config, None)?)?;
        let root = args.out.as_deref().unwrap_or(Path::new("out"));
        write_tree(root, &tree(config, &stacks))?;
        return Ok(Report::success(String::new()));
    }
    let name = args.env.as_deref().unwrap_or("dev");
    let environment = config.environment(name)?;
    let profiled;
    let environment = match args.profile {
        Some(profile) => {
            profiled = Environment {
                profile,
                ..environment.clone()
            };
            &profiled
        }
        None => environment,
    };
    let format = args.format.unwrap_or(Format::Json);
    let (_, stack) = build_valid(config, vec![environment])?.remove(0);
    let lines = header(&HeaderContext {
        source: &config.source,
        environment: &environment.name,
        profile: stack.profile,
        command: command_line(config, args, name, format),
    });
    match &args.out {
        Some(directory) => {
            let files = split_files(&stack, format, &lines);
            for file in &files {
                crate::generated::write_atomic(&directory.join(&file.path), &file.contents)?;
            }
            Ok(Report::success(String::new()))
        }
        None => {
            let mut document = stack.document();
            document.header = lines;
            Ok(Report::success(render(&document, format)))
        }
    }
}

/// The command that produced this output, for its header.
fn command_line(config: &Config, args: &RenderArgs, name: &str, format: Format) -> String {
    let mut command = format!("tfgen render --env {name} --format {format}");
    if let Some(profile) = args.profile {
        command.push_str(&format!(" --profile {profile}"));
    }
    if let crate::config::Source::File(path) = &config.source
        && path != Path::new(crate::config::DEFAULT_FILE)
    {
        command.push_str(&format!(" --config {}", path.display()));
    }
    if let Some(directory) = &args.out {
        command.push_str(&format!(" --out {}", directory.display()));
    }
    command
}
