//! `moved` and `removed` blocks: how Terraform carries an object in the
//! state over to a new address, or lets go of it without destroying it.
//! Which addresses move is [`crate::stack::history`]'s to say; this item
//! only lowers what applies to one stack.

use crate::model::{Block, Expr};
use crate::stack::history::{Forget, Rename};
use crate::stack::{Address, StackFile, StackItem};

#[derive(Debug, Clone, PartialEq)]
pub struct Moves {
    pub renames: Vec<Rename>,
    pub forgets: Vec<Forget>,
}

/// The file of the `moved` and `removed` blocks.
pub const MOVES: StackFile = StackFile::new("moves");

impl StackItem for Moves {
    fn address(&self) -> Address<'_> {
        Address::Unnamed("moves")
    }

    fn file(&self) -> StackFile {
        MOVES
    }

    fn in_graph(&self) -> bool {
        false
    }

    fn blocks(&self) -> Vec<Block> {
        let renames = self.renames.iter().map(|rename| {
            Block::new("moved", &[])
                .comment_wrapped(rename.why)
                .attr("from", Expr::reference(rename.from))
                .attr("to", Expr::reference(rename.to))
        });
        let forgets = self.forgets.iter().map(|forget| {
            Block::new("removed", &[])
                .comment_wrapped(forget.why)
                .attr("from", Expr::reference(forget.address))
                .block(Block::new("lifecycle", &[]).attr("destroy", false))
        });
        renames.chain(forgets).collect()
    }
}
