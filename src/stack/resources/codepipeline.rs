//! `aws_codepipeline`: a CI or CD pipeline. Stages and actions are typed
//! values (category, provider, artifacts, configuration), lowered to one
//! `stage` and `action` block each, so a reviewer sees every step.

use crate::model::{Block, Expr};
use crate::stack::rules::NameRule;
use crate::stack::rules::Namespace;
use crate::stack::{Address, Checks, Import, RoleUse, Stack, StackFile, StackItem, UniqueName};

const KIND: &str = "aws_codepipeline";

/// The executions of the pipeline, with their approvals.
pub const KEEPS: super::Keeps = super::Keeps {
    kind: KIND,
    what: "the record of every execution and approval",
    tier: super::Tier::History,
    replaced_when: &["name"],
};

const NAME_RULE: NameRule = NameRule {
    length_rule: "codepipeline-name-length",
    charset_rule: "codepipeline-name-charset",
    service: "CodePipeline",
    what: "pipeline name",
    min: 1,
    max: 100,
    allowed: |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-' | '_'),
    allowed_text: "letters, digits, '.', '@', '-' and '_'",
};

#[derive(Debug, Clone, PartialEq)]
pub struct CodePipeline {
    pub label: String,
    pub name: Expr,
    /// The role's `arn` CodePipeline acts as.
    pub role_arn: Expr,
    /// The bucket's `bucket` the artifacts go to.
    pub artifact_bucket: Expr,
    /// The KMS key's `arn` that encrypts the artifacts, when not the
    /// AWS-managed `aws/s3` key.
    pub artifact_key: Option<Expr>,
    pub stages: Vec<Stage>,
    pub tags: Vec<(&'static str, Expr)>,
    /// `V2` for the git triggers; `None` writes none (AWS's `V1`).
    pub pipeline_type: Option<&'static str>,
    /// What starts the pipeline (V2 only): a push to a branch of a
    /// `CodeStarSourceConnection` source.
    pub triggers: Vec<Trigger>,
}

/// A V2 pipeline's git trigger: a push to one of `branches` (changing one
/// of `file_paths`, when there are any) of the repository `source_action`
/// reads starts the pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub source_action: &'static str,
    pub branches: Vec<Expr>,
    pub file_paths: Vec<String>,
}

/// The only provider V2 git triggers take.
pub const CONNECTION_PROVIDER: &str = "CodeStarSourceConnection";

#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub name: &'static str,
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub name: &'static str,
    /// `Source`, `Build`, `Test`, `Deploy`, `Approval` or `Invoke`.
    pub category: &'static str,
    /// `CodeCommit`, `CodeBuild`, `CloudFormation`, `Manual`, ...
    pub provider: &'static str,
    /// `None` writes none; `Some` writes the list even when it is empty, as
    /// upstream's source actions do (the plan tells `[]` from none).
    pub input_artifacts: Option<Vec<&'static str>>,
    pub output_artifacts: Vec<&'static str>,
    /// The provider's settings, in order: `RepositoryName`, `ProjectName`,
    /// `StackName`, `RoleArn`, ...
    pub configuration: Vec<(&'static str, Expr)>,
    pub run_order: i64,
}

impl Action {
    /// The action's settings value for `key`.
    pub fn setting(&self, key: &str) -> Option<&Expr> {
        self.configuration
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value)
    }
}

impl CodePipeline {
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.stages.iter().flat_map(|stage| &stage.actions)
    }
}

fn strings(items: &[&str]) -> Expr {
    Expr::list(items.iter().map(|item| Expr::from(*item)))
}

impl StackItem for CodePipeline {
    fn unique_names(&self) -> Vec<UniqueName> {
        vec![UniqueName::of(
            self,
            "name",
            &self.name,
            Namespace::regional("codepipeline-name-unique", "CodePipeline name"),
        )]
    }

    fn address(&self) -> Address<'_> {
        Address::resource(KIND, &self.label)
    }

    fn file(&self) -> StackFile {
        StackFile::new("codepipeline")
    }

    fn blocks(&self) -> Vec<Block> {
        let mut store = Block::new("artifact_store", &[])
            .attr("location", self.artifact_bucket.clone())
            .attr("type", "S3");
        if let Some(key) = &self.artifact_key {
            store = store.block(
                Block::new("encryption_key", &[])
                    .attr("id", key.clone())
                    .attr("type", "KMS"),
            );
        }
        let mut block = Block::new("resource", &[KIND, &self.label])
            .attr("name", self.name.clone())
            .attr("role_arn", self.role_arn.clone());
        if let Some(pipeline_type) = self.pipeline_type {
            block = block.attr("pipeline_type", pipeline_type);
        }
        if !self.tags.is_empty() {
            let tags = self.tags.iter().map(|(key, value)| (*key, value.clone()));
            block = block.attr("tags", Expr::object(tags));
        }
        block = block.block(store);
        for stage in &self.stages {
            let mut stage_block = Block::new("stage", &[]).attr("name", stage.name);
            for action in &stage.actions {
                let mut action_block = Block::new("action", &[])
                    .attr("name", action.name)
                    .attr("category", action.category)
                    .attr("owner", "AWS")
                    .attr("provider", action.provider)
                    .attr("version", "1");
                if let Some(inputs) = &action.input_artifacts {
                    action_block = action_block.attr("input_artifacts", strings(inputs));
                }
                if !action.output_artifacts.is_empty() {
                    action_block =
                        action_block.attr("output_artifacts", strings(&action.output_artifacts));
                }
                if !action.configuration.is_empty() {
                    let settings = action
                        .configuration
                        .iter()
                        .map(|(key, value)| (*key, value.clone()));
                    action_block = action_block.attr("configuration", Expr::object(settings));
                }
                stage_block = stage_block.block(action_block.attr("run_order", action.run_order));
            }
            block = block.block(stage_block);
        }
        for trigger in &self.triggers {
            let mut push = Block::new("push", &[]).block(
                Block::new("branches", &[]).attr("includes", Expr::list(trigger.branches.clone())),
            );
            if !trigger.file_paths.is_empty() {
                push = push.block(
                    Block::new("file_paths", &[]).attr(
                        "includes",
                        Expr::list(
                            trigger
                                .file_paths
                                .iter()
                                .map(|path| Expr::from(path.as_str())),
                        ),
                    ),
                );
            }
            block = block.block(
                Block::new("trigger", &[])
                    .attr("provider_type", CONNECTION_PROVIDER)
                    .block(
                        Block::new("git_configuration", &[])
                            .attr("source_action_name", trigger.source_action)
                            .block(push),
                    ),
            );
        }
        vec![block]
    }

    /// CodePipeline runs as `role_arn`; a CloudFormation action's `RoleArn`
    /// is handed on to CloudFormation, which assumes it to change the stack.
    fn role_uses(&self) -> Vec<RoleUse> {
        let mut uses = vec![RoleUse::assumed(
            &self.role_arn,
            "codepipeline.amazonaws.com",
            "role_arn",
        )];
        for stage in &self.stages {
            for action in &stage.actions {
                let roles = action
                    .configuration
                    .iter()
                    .filter(|(key, _)| action.provider == "CloudFormation" && *key == "RoleArn");
                for (key, role) in roles {
                    uses.push(RoleUse::handed_on(
                        role,
                        "cloudformation.amazonaws.com",
                        format!(
                            "stage.{}.action.{}.configuration.{key}",
                            stage.name, action.name
                        ),
                    ));
                }
            }
        }
        uses
    }

    fn value(&self, attribute: &[String], stack: &Stack) -> Option<String> {
        let name = || stack.evaluate(&self.name);
        match attribute {
            [attribute] if attribute == "name" || attribute == "id" => name(),
            [attribute] if attribute == "arn" => stack.arn("codepipeline", &name()?),
            _ => None,
        }
    }

    /// A pipeline is imported by its name.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        Some(Import::id(self.name.clone()))
    }

    fn check(&self, checks: &mut Checks<'_>) {
        let field = format!("{}.name", self.address());
        checks.resource_name(&self.name, &field, &NAME_RULE);
        let mut produced: Vec<&str> = Vec::new();
        for (index, stage) in self.stages.iter().enumerate() {
            if stage.actions.is_empty() {
                checks.report(
                    "codepipeline-stage-empty",
                    checks.profile_origin(),
                    &format!("{}.stage[{index}]", self.address()),
                    format!("stage \"{}\" has no action", stage.name),
                    "give every stage at least one action",
                );
            }
            for action in &stage.actions {
                for input in action.input_artifacts.iter().flatten() {
                    if !produced.contains(input) {
                        checks.report(
                            "codepipeline-artifact-unknown",
                            checks.profile_origin(),
                            &format!("{}.stage[{index}]", self.address()),
                            format!(
                                "action \"{}\" reads artifact \"{input}\", which no earlier action produces",
                                action.name
                            ),
                            "name an output artifact of an action in an earlier stage",
                        );
                    }
                }
            }
            produced.extend(
                stage
                    .actions
                    .iter()
                    .flat_map(|action| action.output_artifacts.iter().copied()),
            );
        }
        for trigger in &self.triggers {
            let source = self
                .actions()
                .find(|action| action.name == trigger.source_action);
            if self.pipeline_type != Some("V2")
                || source.is_none_or(|action| action.provider != CONNECTION_PROVIDER)
            {
                checks.report(
                    "codepipeline-trigger-source",
                    checks.profile_origin(),
                    &format!("{}.trigger", self.address()),
                    format!(
                        "the git trigger on \"{}\" needs a V2 pipeline whose action of that name is a {CONNECTION_PROVIDER} source",
                        trigger.source_action
                    ),
                    "set pipeline_type = \"V2\" and name the connection's source action",
                );
            }
        }
        if self.stages.len() < 2 {
            checks.report(
                "codepipeline-stages",
                checks.profile_origin(),
                &field,
                format!(
                    "the pipeline has {} stage(s); CodePipeline needs at least 2",
                    self.stages.len()
                ),
                "add a source stage and at least one more",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::{Profile, StackInput};

    fn action(name: &'static str, inputs: Vec<&'static str>, outputs: Vec<&'static str>) -> Action {
        Action {
            name,
            category: "Build",
            provider: "CodeBuild",
            input_artifacts: Some(inputs),
            output_artifacts: outputs,
            configuration: vec![("ProjectName", Expr::from("p"))],
            run_order: 1,
        }
    }

    fn problems(stages: Vec<Stage>) -> Vec<String> {
        let stack = Stack::build(StackInput {
            environment: "dev".into(),
            profile: Profile::Seed,
            origin: crate::error::Origin::BuiltIn("test".into()),
            settings: Vec::new(),
            pipeline: false,
            remote: Default::default(),
            deletion_protection: true,
            source: Default::default(),
            approval: None,
        });
        let pipeline = CodePipeline {
            label: "ci".into(),
            name: Expr::from("model build"),
            role_arn: Expr::from("arn:aws:iam::123456789012:role/r"),
            artifact_bucket: Expr::from("b"),
            artifact_key: None,
            stages,
            tags: Vec::new(),
            pipeline_type: None,
            triggers: Vec::new(),
        };
        let mut checks = Checks::new(&stack);
        pipeline.check(&mut checks);
        checks
            .into_problems()
            .iter()
            .map(|p| format!("{}: {}", p.rule, p.message))
            .collect()
    }

    #[test]
    fn artifacts_must_come_from_an_earlier_stage_and_names_follow_codepipeline() {
        let found = problems(vec![
            Stage {
                name: "Source",
                actions: vec![action("Source", vec![], vec!["SourceArtifact"])],
            },
            Stage {
                name: "Build",
                actions: vec![action("Build", vec!["SourceArtifact", "Missing"], vec![])],
            },
            Stage {
                name: "Empty",
                actions: vec![],
            },
        ]);
        assert_eq!(
            found,
            [
                "codepipeline-name-charset: pipeline name \"model build\" contains ' '; CodePipeline allows letters, digits, '.', '@', '-' and '_'",
                "codepipeline-artifact-unknown: action \"Build\" reads artifact \"Missing\", which no earlier action produces",
                "codepipeline-stage-empty: stage \"Empty\" has no action",
            ]
        );
        assert_eq!(
            problems(vec![Stage {
                name: "Source",
                actions: vec![action("Source", vec![], vec![])]
            }])[1],
            "codepipeline-stages: the pipeline has 1 stage(s); CodePipeline needs at least 2"
        );
    }
}
