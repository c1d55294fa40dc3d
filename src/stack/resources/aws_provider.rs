//! `provider "aws"`: the region every resource is created in and, for an
//! environment that sets them, the account guard, the role to assume and
//! the tags every resource carries.

use crate::model::{Block, Expr};
use crate::stack::remote_state::{ProviderSettings, default_tags, provider_block};
use crate::stack::{Address, StackFile, StackInput, StackItem, Variable};

fn project_name(variables: &[Variable]) -> &str {
    variables
        .iter()
        .find(|variable| variable.spec.name == "project_name")
        .map_or("", |variable| variable.value.as_str())
}

#[derive(Debug, Clone, PartialEq)]
pub struct AwsProvider {
    pub region: Expr,
    pub settings: ProviderSettings,
}

impl AwsProvider {
    /// The region from `var.region`, nothing else.
    pub fn reference() -> Self {
        AwsProvider {
            region: Expr::reference("var.region"),
            settings: ProviderSettings {
                account_id: None,
                assume_role: None,
                tags: Vec::new(),
            },
        }
    }

    /// The reference provider, plus what the environment sets; an
    /// environment that sets none of it gets exactly the reference.
    /// `Project` is the `project_name` variable's value unless a tag sets it.
    pub fn for_input(input: &StackInput, variables: &[Variable]) -> Self {
        let mut provider = AwsProvider::reference();
        let remote = &input.remote;
        if remote.is_empty() {
            return provider;
        }
        provider.settings = ProviderSettings {
            account_id: remote.account_id.clone(),
            assume_role: remote.assume_role.clone(),
            tags: default_tags(&input.environment, project_name(variables), &remote.tags),
        };
        provider
    }
}

impl StackItem for AwsProvider {
    fn address(&self) -> Address<'_> {
        Address::Unnamed("provider.aws")
    }

    fn file(&self) -> StackFile {
        StackFile::PROVIDER
    }

    fn blocks(&self) -> Vec<Block> {
        vec![provider_block(self.region.clone(), &self.settings)]
    }
}
