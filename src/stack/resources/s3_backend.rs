//! `terraform { backend "s3" { ... } }`: where an environment's state lives
//! and how it is locked, written next to the version constraints.

use crate::model::Block;
use crate::stack::remote_state::{S3Backend, backend_block};
use crate::stack::{Address, StackFile, StackInput, StackItem};

#[derive(Debug, Clone, PartialEq)]
pub struct RemoteStateBackend {
    pub backend: S3Backend,
}

impl RemoteStateBackend {
    /// The backend of an environment with remote state; none keeps local state.
    pub fn for_input(input: &StackInput) -> Option<Self> {
        let backend = input.remote.state.clone()?;
        Some(RemoteStateBackend { backend })
    }
}

impl StackItem for RemoteStateBackend {
    fn address(&self) -> Address<'_> {
        Address::Unnamed("terraform.backend.s3")
    }

    fn file(&self) -> StackFile {
        StackFile::VERSIONS
    }

    fn blocks(&self) -> Vec<Block> {
        vec![backend_block(&self.backend)]
    }
}
