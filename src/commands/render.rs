//! `tfgen render`: one environment to stdout or `--out DIR`, or every
//! environment into the `out/` tree with `--all`.
//!
//! Whichever environment it renders, it validates the whole `tfgen.hcl`
//! first (rules across environments, such as global bucket names, would
//! otherwise pass unseen). `--all` then renders and writes one environment
//! at a time, so memory does not grow with the number of environments.

use std::path::Path;

use super::{Report, build_valid};
use crate::cli::RenderArgs;
use crate::config::{Config, Environment};
use crate::error::Result;
use crate::generated::{
    HeaderContext, Renders, Tree, TreeWriter, config_argument, header, split_files, write_module,
};
use crate::render::{Format, render};
use crate::validate::for_each_valid;

pub fn run(config: &Config, args: &RenderArgs) -> Result<Report> {
    if args.all {
        let root = args.out.as_deref().unwrap_or(Path::new("out"));
        // Built, checked and staged one at a time, so a large tfgen.hcl
        // never holds every stack at once; nothing is committed unless every
        // environment, and the rules across them, are valid.
        let tree = Tree::new(config);
        let mut writer = TreeWriter::open(root)?;
        let parts = for_each_valid(
            config,
            || Ok((writer.part()?, Renders::default())),
            |(part, renders), _, environment, stack| {
                part.stage(tree.environment(renders, environment, &stack))
            },
        )?;
        writer.commit(parts.into_iter().map(|(part, _)| part).collect())?;
        return Ok(Report::success(String::new()));
    }
    let name = args.env.as_deref().unwrap_or("dev");
    let environment = config.environment(name)?;
    let format = args.format.unwrap_or(Format::Json);
    // Every environment is validated; only this one's stack is kept.
    let stack = match args.profile {
        // Another profile is another stack: validate it as well.
        Some(profile) => {
            let profiled = Environment {
                profile,
                ..environment.clone()
            };
            build_valid(config, vec![&profiled])?.remove(0).1
        }
        None => build_valid(config, vec![environment])?.remove(0).1,
    };
    let advice = crate::validate::advice(&stack);
    let lines = header(&HeaderContext {
        source: &config.source,
        environment: &environment.name,
        profile: stack.profile,
        command: command_line(config, args, name, format),
    });
    match &args.out {
        Some(directory) => {
            write_module(directory, &split_files(&stack, format, &lines))?;
            Ok(Report::success(String::new()).with_advice(&advice))
        }
        None => {
            let mut document = stack.document();
            document.header = lines;
            let text = render(&document, format);
            super::keep_until_exit((stack, document));
            Ok(Report::success(text).with_advice(&advice))
        }
    }
}

/// The command that produced this output, for its header.
fn command_line(config: &Config, args: &RenderArgs, name: &str, format: Format) -> String {
    let mut command = format!("tfgen render --env {name} --format {format}");
    if let Some(profile) = args.profile {
        command.push_str(&format!(" --profile {profile}"));
    }
    command.push_str(&config_argument(config));
    if let Some(directory) = &args.out {
        command.push_str(&format!(" --out {}", directory.display()));
    }
    command
}
