//! tfgen: a typed generator for the Terraform of a SageMaker MLOps
//! foundation.
//!
//! Data flows one way: `tfgen.hcl` → [`config`] → [`stack`] (the
//! foundation as data) → [`model`] (any Terraform document) → [`render`]
//! (`.tf` or `.tf.json`). [`validate`] checks the stack against AWS's rules
//! before anything is written; [`generated`] owns the files on disk.

pub mod adopt;
pub mod allocator;
pub mod changed;
pub mod cli;
mod commands;
pub mod config;
pub mod diff;
pub mod error;
pub mod generated;
pub mod git;
pub mod graph;
pub mod hcl_syntax;
pub mod lint;
pub mod model;
pub mod plan;
pub mod policy;
pub mod read;
pub mod render;
pub mod stack;
pub mod terminal;
pub mod validate;

pub use commands::{Outcome, run, run_with};
pub use error::{Error, Result};
