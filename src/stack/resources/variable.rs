//! `variable "<name>"`: the eight inputs of the reference stack, declared
//! with the value the environment gives each as its default.

use std::borrow::Cow;

use crate::error::Origin;
use crate::model::Block;
use crate::stack::{Address, Stack, StackFile, StackInput, StackItem};

/// A variable of the stack as the reference declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariableSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub default: &'static str,
    /// A comment the reference keeps above the default.
    pub comment: Option<&'static str>,
}

/// The eight variables of `fixtures/reference/variables.tf`, in its order.
pub const VARIABLES: [VariableSpec; 8] = [
    VariableSpec {
        name: "repository_branch",
        description: "Repository branch to use in the pipeline",
        default: "dev",
        comment: None,
    },
    VariableSpec {
        name: "env",
        description: "Deployment environment",
        default: "dev",
        comment: None,
    },
    VariableSpec {
        name: "region",
        description: "AWS region",
        default: "us-east-1",
        comment: None,
    },
    VariableSpec {
        name: "build_repository_name",
        description: "Build repository name",
        default: "model-build-pipeline",
        comment: Some("Aqui fica o nome do repositório para o código do modelo"),
    },
    VariableSpec {
        name: "deploy_repository_name",
        description: "Deploy repository name",
        default: "model-deploy-pipeline",
        comment: None,
    },
    VariableSpec {
        name: "artifacts_bucket_name",
        description: "S3 Bucket for storing artifacts",
        default: "sagemaker-artifacts-pipeline-18345",
        comment: None,
    },
    VariableSpec {
        name: "project_name",
        description: "Project name",
        default: "aws-sagemaker-terraform-cicd",
        comment: None,
    },
    VariableSpec {
        name: "project_id",
        description: "Project ID",
        default: "10072022",
        comment: None,
    },
];

/// A variable with the value this environment gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub spec: VariableSpec,
    pub value: String,
    pub origin: Origin,
}

impl Variable {
    /// The value `input` sets, else `env`'s environment name, else the
    /// reference default.
    pub fn for_input(spec: &VariableSpec, input: &StackInput) -> Variable {
        let setting = input
            .settings
            .iter()
            .find(|setting| setting.name == spec.name);
        match setting {
            Some(setting) => Variable {
                spec: *spec,
                value: setting.value.clone(),
                origin: setting.origin.clone(),
            },
            None if spec.name == "env" => Variable {
                spec: *spec,
                value: input.environment.clone(),
                origin: input.origin.clone(),
            },
            None => Variable {
                spec: *spec,
                value: spec.default.to_string(),
                origin: Origin::BuiltIn(format!("reference default of variable {}", spec.name)),
            },
        }
    }
}

impl StackItem for Variable {
    fn address(&self) -> Address<'_> {
        Address::Variable(Cow::Borrowed(self.spec.name))
    }

    fn file(&self) -> StackFile {
        StackFile::VARIABLES
    }

    fn blocks(&self) -> Vec<Block> {
        let block =
            Block::new("variable", &[self.spec.name]).attr("description", self.spec.description);
        vec![match self.spec.comment {
            Some(comment) => block.note(comment).attr("default", self.value.as_str()),
            None => block.attr("default", self.value.as_str()),
        }]
    }

    fn value(&self, attribute: &[String], _stack: &Stack) -> Option<String> {
        attribute.is_empty().then(|| self.value.clone())
    }
}
