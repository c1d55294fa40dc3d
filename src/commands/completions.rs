//! `tfgen completions SHELL` and `tfgen man`: shell completions and a man
//! page generated from the clap definition in [`crate::cli`], so they list
//! exactly the commands and flags the binary accepts.

use clap::CommandFactory;

use super::Report;
use crate::cli::{Cli, CompletionShell};
use crate::error::{Error, Result};

pub fn completions(shell: CompletionShell) -> Result<Report> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    let generator = match shell {
        CompletionShell::Bash => clap_complete::Shell::Bash,
        CompletionShell::Zsh => clap_complete::Shell::Zsh,
        CompletionShell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(generator, &mut command, "tfgen", &mut script);
    text(script, "completions")
}

pub fn man() -> Result<Report> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|source| Error::io("render", "the man page", source))?;
    text(page, "man page")
}

fn text(bytes: Vec<u8>, what: &str) -> Result<Report> {
    String::from_utf8(bytes)
        .map(Report::success)
        .map_err(|_| Error::Usage(format!("the generated {what} is not UTF-8")))
}
