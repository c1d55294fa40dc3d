//! `aws_codebuild_project`: a build step of a pipeline (build the model, export
//! the deployment templates, test the staging endpoint). The buildspec is a
//! typed value lowered to `yamlencode({...})`, so a reviewer reads every
//! command on its own line in the pull request.

use crate::model::{Block, Expr};
use crate::stack::rules::NameRule;
use crate::stack::{Address, Checks, RoleUse, Stack, StackFile, StackItem};

const KIND: &str = "aws_codebuild_project";

/// The environment variables whose role a build hands on to SageMaker: the
/// model build starts the SageMaker pipeline with `SAGEMAKER_PIPELINE_ROLE_ARN`,
/// the deploy template gives `MODEL_EXECUTION_ROLE_ARN` to the models and
/// endpoints it creates. SageMaker assumes them, not CodeBuild.
const ROLES_HANDED_TO_SAGEMAKER: [&str; 2] =
    ["SAGEMAKER_PIPELINE_ROLE_ARN", "MODEL_EXECUTION_ROLE_ARN"];

const NAME_RULE: NameRule = NameRule {
    length_rule: "codebuild-project-name-length",
    charset_rule: "codebuild-project-name-charset",
    service: "CodeBuild",
    what: "project name",
    min: 2,
    max: 255,
    allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'),
    allowed_text: "letters, digits, '-' and '_'",
};

#[derive(Debug, Clone, PartialEq)]
pub struct CodeBuildProject {
    pub label: String,
    pub name: Expr,
    pub description: String,
    /// The role's `arn`.
    pub service_role: Expr,
    /// Minutes.
    pub build_timeout: i64,
    pub environment: BuildEnvironment,
    pub buildspec: BuildspecSource,
    /// The KMS key's `arn` that encrypts the build's artifacts.
    pub encryption_key: Option<Expr>,
    /// The CloudWatch Logs group the build logs to (`name`).
    pub log_group: Option<Expr>,
}

/// The container a build runs in, and its environment variables.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildEnvironment {
    pub compute_type: &'static str,
    pub image: &'static str,
    pub variables: Vec<(&'static str, Expr)>,
}

/// Where the build's commands come from.
#[derive(Debug, Clone, PartialEq)]
pub enum BuildspecSource {
    /// Written into the project, as YAML through `yamlencode`.
    Inline(Buildspec),
    /// A file in the source repository, such as `test/test_buildspec.yml`.
    File(&'static str),
}

/// A CodeBuild buildspec (version 0.2).
#[derive(Debug, Clone, PartialEq)]
pub struct Buildspec {
    pub phases: Vec<Phase>,
    /// Files the build hands on as its output artifact.
    pub artifacts: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// `install`, `pre_build`, `build` or `post_build`.
    pub name: &'static str,
    pub runtime_versions: Vec<(&'static str, &'static str)>,
    pub commands: Vec<&'static str>,
}

impl Buildspec {
    /// `yamlencode({ version = "0.2", phases = {...}, artifacts = {...} })`.
    pub fn to_yamlencode(&self) -> Expr {
        let strings = |items: &[&str]| Expr::list(items.iter().map(|item| Expr::from(*item)));
        let phases = self.phases.iter().map(|phase| {
            let mut entries = Vec::new();
            if !phase.runtime_versions.is_empty() {
                let versions = phase
                    .runtime_versions
                    .iter()
                    .map(|(runtime, version)| (*runtime, Expr::from(*version)));
                entries.push(("runtime-versions", Expr::object(versions)));
            }
            entries.push(("commands", strings(&phase.commands)));
            (phase.name, Expr::object(entries))
        });
        let mut spec = vec![
            ("version", Expr::from("0.2")),
            ("phases", Expr::object(phases)),
        ];
        if !self.artifacts.is_empty() {
            spec.push((
                "artifacts",
                Expr::object([("files", strings(&self.artifacts))]),
            ));
        }
        Expr::Call("yamlencode".into(), vec![Expr::object(spec)])
    }
}

impl StackItem for CodeBuildProject {
    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::new("codebuild")
    }

    fn blocks(&self) -> Vec<Block> {
        let environment = self.environment.variables.iter().fold(
            Block::new("environment", &[])
                .attr("compute_type", self.environment.compute_type)
                .attr("image", self.environment.image)
                .attr("type", "LINUX_CONTAINER")
                .attr("image_pull_credentials_type", "CODEBUILD")
                .attr("privileged_mode", false),
            |block, (name, value)| {
                block.block(
                    Block::new("environment_variable", &[])
                        .attr("name", *name)
                        .attr("value", value.clone())
                        .attr("type", "PLAINTEXT"),
                )
            },
        );
        let buildspec = match &self.buildspec {
            BuildspecSource::Inline(spec) => spec.to_yamlencode(),
            BuildspecSource::File(path) => Expr::from(*path),
        };
        let mut block = Block::new("resource", &[KIND, &self.label])
            .attr("name", self.name.clone())
            .attr("description", self.description.as_str())
            .attr("service_role", self.service_role.clone())
            .attr("build_timeout", self.build_timeout);
        if let Some(key) = &self.encryption_key {
            block = block.attr("encryption_key", key.clone());
        }
        block = block
            .block(Block::new("artifacts", &[]).attr("type", "CODEPIPELINE"))
            .block(environment)
            .block(
                Block::new("source", &[])
                    .attr("type", "CODEPIPELINE")
                    .attr("buildspec", buildspec),
            );
        if let Some(group) = &self.log_group {
            block = block.block(
                Block::new("logs_config", &[]).block(
                    Block::new("cloudwatch_logs", &[])
                        .attr("status", "ENABLED")
                        .attr("group_name", group.clone()),
                ),
            );
        }
        vec![block]
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let name = || stack.evaluate(&self.name);
        match attribute {
            [attribute] if attribute == "name" => name(),
            // A project's id is its ARN.
            [attribute] if attribute == "arn" || attribute == "id" => {
                stack.arn("codebuild", &format!("project/{}", name()?))
            }
            _ => None,
        }
    }

    fn role_uses(&self) -> Vec<RoleUse> {
        let handed_on = self
            .environment
            .variables
            .iter()
            .filter(|(name, _)| ROLES_HANDED_TO_SAGEMAKER.contains(name))
            .map(|(name, role)| {
                RoleUse::handed_on(
                    role,
                    "sagemaker.amazonaws.com",
                    format!("environment.environment_variable.{name}"),
                )
            });
        std::iter::once(RoleUse::assumed(
            &self.service_role,
            "codebuild.amazonaws.com",
            "service_role",
        ))
        .chain(handed_on)
        .collect()
    }

    fn check(&self, checks: &mut Checks<'_>) {
        let field = format!("{}.name", self.address());
        checks.resource_name(&self.name, &field, &NAME_RULE);
        if !(5..=2160).contains(&self.build_timeout) {
            checks.report(
                "codebuild-build-timeout",
                checks.profile_origin(),
                &format!("{}.build_timeout", self.address()),
                format!(
                    "build_timeout {} is outside 5 to 2160 minutes",
                    self.build_timeout
                ),
                "use a timeout from 5 minutes to 36 hours",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;
    use crate::render::render_hcl;

    #[test]
    fn a_buildspec_is_a_yamlencode_object_with_shell_variables_kept_literal() {
        let spec = Buildspec {
            phases: vec![
                Phase {
                    name: "install",
                    runtime_versions: vec![("python", "3.8")],
                    commands: vec!["pip install ."],
                },
                Phase {
                    name: "build",
                    runtime_versions: vec![],
                    commands: vec!["echo ${ARTIFACT_BUCKET}"],
                },
            ],
            artifacts: vec!["template-export.yml"],
        };
        let block = Block::new("locals", &[]).attr("buildspec", spec.to_yamlencode());
        assert_eq!(
            render_hcl(&Document::new(vec![block])),
            r#"locals {
  buildspec = yamlencode({
    version = "0.2"
    phases = {
      install = {
        runtime-versions = {
          python = "3.8"
        }
        commands = ["pip install ."]
      }
      build = {
        commands = ["echo $${ARTIFACT_BUCKET}"]
      }
    }
    artifacts = {
      files = ["template-export.yml"]
    }
  })
}
"#
        );
    }
}
