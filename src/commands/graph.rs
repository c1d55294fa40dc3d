//! `tfgen graph`: one environment's resources and their references, as a
//! Mermaid or Graphviz diagram on stdout.

use super::{Report, build_valid};
use crate::cli::GraphArgs;
use crate::config::Config;
use crate::error::Result;
use crate::graph::Graph;

pub fn run(config: &Config, args: &GraphArgs) -> Result<Report> {
    let environment = config.environment(&args.env)?;
    let (_, stack) = build_valid(config, vec![environment])?.remove(0);
    Ok(Report::success(Graph::of(&stack).render(args.format)))
}
