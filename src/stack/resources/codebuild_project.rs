//! `aws_codebuild_project`: a build step of a pipeline (build the model, export
//! the deployment templates, test the staging endpoint). The buildspec is a
//! typed value lowered to `yamlencode({...})`, so a reviewer reads every
//! command on its own line in the pull request.

use crate::error::Severity;
use crate::model::{Block, Expr};
use crate::stack::rules::NameRule;
use crate::stack::rules::Namespace;
use crate::stack::{Address, Checks, Import, RoleUse, Stack, StackFile, StackItem, UniqueName};

const KIND: &str = "aws_codebuild_project";

/// The builds of the project, with their reports.
pub const KEEPS: super::Keeps = super::Keeps {
    kind: KIND,
    what: "the record of every build",
    tier: super::Tier::History,
    replaced_when: &["name"],
};

/// The environment variables whose role a build hands on to SageMaker: the
/// model build starts the SageMaker pipeline with `SAGEMAKER_PIPELINE_ROLE_ARN`,
/// the deploy template gives `MODEL_EXECUTION_ROLE_ARN` to the models and
/// endpoints it creates. SageMaker assumes them, not CodeBuild.
const ROLES_HANDED_TO_SAGEMAKER: [&str; 2] =
    ["SAGEMAKER_PIPELINE_ROLE_ARN", "MODEL_EXECUTION_ROLE_ARN"];

/// The images CodeBuild has deprecated (no longer cached or updated, so
/// slower to start and unpatched) or whose system reached its end of life,
/// with the date: [`IMAGES_SOURCE`], and Amazon Linux 2's end of life.
pub const DEPRECATED_IMAGES: [(&str, &str); 7] = [
    (
        "aws/codebuild/amazonlinux2-x86_64-standard:2.0",
        "was deprecated by CodeBuild on 2022-06-30",
    ),
    (
        "aws/codebuild/standard:3.0",
        "was deprecated by CodeBuild on 2022-06-30",
    ),
    (
        "aws/codebuild/standard:4.0",
        "was deprecated by CodeBuild on 2023-03-31",
    ),
    (
        "aws/codebuild/amazonlinux2-aarch64-standard:1.0",
        "was deprecated by CodeBuild on 2023-03-31",
    ),
    (
        "aws/codebuild/amazonlinux2-x86_64-standard:3.0",
        "was deprecated by CodeBuild on 2023-05-09",
    ),
    (
        "aws/codebuild/amazonlinux2-x86_64-standard:4.0",
        "is based on Amazon Linux 2, which reached its end of life on 2026-06-30",
    ),
    (
        "aws/codebuild/amazonlinux-x86_64-standard:4.0",
        "is based on Amazon Linux 2, which reached its end of life on 2026-06-30",
    ),
];

/// Where [`DEPRECATED_IMAGES`] comes from.
pub const IMAGES_SOURCE: &str =
    "https://docs.aws.amazon.com/codebuild/latest/userguide/deprecated-images.html";

/// The image to move to: Amazon Linux 2023, CodeBuild's current standard.
pub const CURRENT_IMAGE: &str = "aws/codebuild/amazonlinux-x86_64-standard:5.0";

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
    /// Empty: none written (upstream's projects have none).
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
    pub tags: Vec<(&'static str, Expr)>,
    /// Every setting upstream writes, the provider's defaults included, so
    /// that `seed` plans to its values; `None` writes only what differs
    /// from the defaults.
    pub spelled_out: Option<SpelledOut>,
}

/// The settings upstream's projects write that the provider would default:
/// the badge off, the queue timeout, the artifacts' name and packaging,
/// S3 logs off, a full clone without insecure SSL or status reports.
#[derive(Debug, Clone, PartialEq)]
pub struct SpelledOut {
    /// Minutes a build may wait in the queue.
    pub queued_timeout: i64,
    /// The artifacts' `name` (CodePipeline names the artifacts itself).
    pub artifacts_name: Expr,
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
    /// Written into the project as text, a template of the stack's values
    /// (upstream's buildspec files after `templatefile`).
    Text(Expr),
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
    fn unique_names(&self) -> Vec<UniqueName> {
        vec![UniqueName::of(
            self,
            "name",
            &self.name,
            Namespace::regional("codebuild-project-name-unique", "CodeBuild project name"),
        )]
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::new("codebuild")
    }

    fn blocks(&self) -> Vec<Block> {
        let spelled_out = self.spelled_out.as_ref();
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
            BuildspecSource::Text(text) => text.clone(),
        };
        let mut block =
            Block::new("resource", &[KIND, &self.label]).attr("name", self.name.clone());
        if !self.description.is_empty() {
            block = block.attr("description", self.description.as_str());
        }
        block = block
            .attr("service_role", self.service_role.clone())
            .attr("build_timeout", self.build_timeout);
        if let Some(spelled_out) = spelled_out {
            block = block
                .attr("queued_timeout", spelled_out.queued_timeout)
                .attr("badge_enabled", false);
        }
        if let Some(key) = &self.encryption_key {
            block = block.attr("encryption_key", key.clone());
        }
        if !self.tags.is_empty() {
            let tags = self.tags.iter().map(|(key, value)| (*key, value.clone()));
            block = block.attr("tags", Expr::object(tags));
        }
        let mut artifacts = Block::new("artifacts", &[]).attr("type", "CODEPIPELINE");
        let mut source = Block::new("source", &[])
            .attr("type", "CODEPIPELINE")
            .attr("buildspec", buildspec);
        if let Some(spelled_out) = spelled_out {
            artifacts = artifacts
                .attr("name", spelled_out.artifacts_name.clone())
                .attr("packaging", "NONE")
                .attr("encryption_disabled", false)
                .attr("override_artifact_name", false);
            source = source
                .attr("git_clone_depth", 0)
                .attr("insecure_ssl", false)
                .attr("report_build_status", false);
        }
        block = block.block(artifacts).block(environment).block(source);
        let mut cloudwatch_logs = Block::new("cloudwatch_logs", &[]).attr("status", "ENABLED");
        if let Some(group) = &self.log_group {
            cloudwatch_logs = cloudwatch_logs.attr("group_name", group.clone());
        }
        let mut logs = Block::new("logs_config", &[]).block(cloudwatch_logs);
        if spelled_out.is_some() {
            logs = logs.block(
                Block::new("s3_logs", &[])
                    .attr("status", "DISABLED")
                    .attr("encryption_disabled", false),
            );
        }
        if self.log_group.is_some() || spelled_out.is_some() {
            block = block.block(logs);
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

    /// A project is imported by its name.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.name.clone()))
    }

    fn check(&self, checks: &mut Checks<'_>) {
        let field = format!("{}.name", self.address());
        checks.resource_name(&self.name, &field, &NAME_RULE);
        let image = self.environment.image;
        if let Some((_, why)) = DEPRECATED_IMAGES.iter().find(|(old, _)| *old == image) {
            checks.advise(
                Severity::Warning,
                "codebuild-image-deprecated",
                checks.profile_origin(),
                &format!("{}.environment.image", self.address()),
                format!("image \"{image}\" {why} (source: {IMAGES_SOURCE})"),
                &format!(
                    "use {CURRENT_IMAGE} (the hardened profile's) with a runtime it ships, such as python 3.12"
                ),
            );
        }
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
