//! Where the pipelines get the team's code, and who hears of an approval
//! waiting: the two per-environment choices `tfgen.hcl` makes about the
//! pipeline (`source { }` and `approval { }`), as the stack reads them.
//!
//! `CodeCommit` is the stack as it always was: two repositories of the
//! stack, polled or watched by EventBridge rules, and the git mirror user.
//! `Connection` builds from GitHub, GitHub Enterprise Server, GitLab or
//! Bitbucket through a CodeConnections connection (created by the stack, or
//! one that exists), with `CodeStarSourceConnection` source actions and the
//! git triggers only V2 pipelines have. `config` checks every value before
//! a stack is built from it.

/// The Git hosts a CodeConnections connection reaches, as the connection's
/// `ProviderType` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitProvider {
    GitHub,
    GitHubEnterpriseServer,
    GitLab,
    Bitbucket,
}

impl GitProvider {
    pub const ALL: [GitProvider; 4] = [
        GitProvider::GitHub,
        GitProvider::GitHubEnterpriseServer,
        GitProvider::GitLab,
        GitProvider::Bitbucket,
    ];

    /// The connection's `provider_type`.
    pub fn name(self) -> &'static str {
        match self {
            GitProvider::GitHub => "GitHub",
            GitProvider::GitHubEnterpriseServer => "GitHubEnterpriseServer",
            GitProvider::GitLab => "GitLab",
            GitProvider::Bitbucket => "Bitbucket",
        }
    }

    pub fn parse(text: &str) -> Option<GitProvider> {
        GitProvider::ALL
            .into_iter()
            .find(|provider| provider.name() == text)
    }
}

/// What the source action hands the next action: a zip of the commit, or
/// a reference CodeBuild clones (full Git history, which needs the CodeBuild
/// role to use the connection too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    #[default]
    CodeZip,
    CodeBuildCloneRef,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 2] = [OutputFormat::CodeZip, OutputFormat::CodeBuildCloneRef];

    /// The action's `OutputArtifactFormat`.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::CodeZip => "CODE_ZIP",
            OutputFormat::CodeBuildCloneRef => "CODEBUILD_CLONE_REF",
        }
    }

    pub fn parse(text: &str) -> Option<OutputFormat> {
        OutputFormat::ALL
            .into_iter()
            .find(|format| format.name() == text)
    }
}

/// The repositories of a connection source, as the Git host names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionSource {
    pub provider: GitProvider,
    /// `owner/name` (GitLab: `group/subgroup/name`) of the model-build code.
    pub build_repository: String,
    /// The same of the model-deploy code.
    pub deploy_repository: String,
    /// An existing connection; `None` has the stack create one (PENDING
    /// until someone approves it in the console).
    pub connection_arn: Option<String>,
    /// The build pipeline's trigger starts only on a push that changes one
    /// of these paths (globs); empty starts on every push to the branch.
    pub file_paths: Vec<String>,
    pub output_format: OutputFormat,
    /// Where the `source` block is, for the notes about it.
    pub origin: crate::error::Origin,
}

/// Where the pipelines' code comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PipelineSource {
    /// The stack's two CodeCommit repositories (today's, the default).
    #[default]
    CodeCommit,
    Connection(ConnectionSource),
}

impl PipelineSource {
    pub fn connection(&self) -> Option<&ConnectionSource> {
        match self {
            PipelineSource::CodeCommit => None,
            PipelineSource::Connection(source) => Some(source),
        }
    }
}

/// Who is emailed when the CD pipeline's manual approval waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub notify: Vec<String>,
}
