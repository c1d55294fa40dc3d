//! The git mirror: an IAM user whose HTTPS Git credential lets a job in the
//! team's own Git host (GitHub, GitLab) push a copy of the two repositories
//! into CodeCommit, where the pipelines build from. Upstream creates it with
//! fixed names and AWS's `AWSCodeCommitPowerUser` (which can also create and
//! delete any repository of the account), and the three outputs the mirror
//! job is configured from.
//!
//! `hardened` keeps the user and its credential (the mirror job depends on
//! them) but names them per environment, lets the group pull from and push
//! to the stack's two repositories and nothing else, and puts the user in
//! the group without owning the group's whole membership
//! (`aws_iam_user_group_membership`, which `tfgen adopt` can import). The
//! upstream membership it replaces is forgotten, not destroyed: destroying
//! it would take the user out of the group (see [`super::history`]).

use super::Profile;
use super::resources::{
    CodeCommitRepository, GIT_MIRROR, GroupMembership, GroupPolicyAttachment, IamGroup, IamPolicy,
    IamPolicyData, IamUser, Output, ServiceSpecificCredential, UserGroupMembership,
};
use super::seed::boxed;
use super::{Items, StackItem};
use crate::model::Expr;
use crate::policy::{PolicyDocument, Statement, many};

/// CodeCommit's HTTPS Git credentials are service-specific credentials of
/// this service.
const CODECOMMIT: &str = "codecommit.amazonaws.com";

/// A machine user cannot sign in through SSO: checkov's check for users
/// does not fit it.
const USER_CHECKOV_SKIPS: [(&str, &str); 1] = [(
    "CKV_AWS_273",
    "a Git mirror job pushes over HTTPS with a CodeCommit service-specific credential, which AWS issues only to IAM users; the user has no password or access key and only the group's two-repository policy",
)];

/// The mirror's items and its outputs (the two clone URLs with the Git user
/// name, and the password, sensitive).
pub fn items(profile: Profile, [build, deploy]: [&CodeCommitRepository; 2]) -> (Items, Items) {
    let hardened = profile == Profile::Hardened;
    let named = |name: &str| match hardened {
        true => Expr::interpolated(&format!("{name}-${{var.env}}")),
        false => Expr::from(name),
    };
    let user = IamUser {
        label: "mirror_user".into(),
        name: named("GitToCodeCommitSyncUser"),
        path: None,
        checkov_skips: match hardened {
            true => USER_CHECKOV_SKIPS.to_vec(),
            false => Vec::new(),
        },
    };
    let credential = ServiceSpecificCredential {
        label: "git_credentials".into(),
        service_name: CODECOMMIT,
        user_name: user.reference_to("name"),
    };
    let group = IamGroup {
        label: "mirror_group".into(),
        name: named("GitToCodeCommitSyncGroup"),
    };
    let mut items: Vec<Box<dyn StackItem>> = Vec::new();
    let (policy_arn, policy): (Expr, Box<dyn StackItem>) = match hardened {
        false => {
            let managed = IamPolicyData {
                label: "aws_poweruser_codecommit".into(),
                arn: "arn:aws:iam::aws:policy/AWSCodeCommitPowerUser".into(),
                file: GIT_MIRROR,
            };
            (managed.reference_to("arn"), boxed(managed))
        }
        true => {
            let own = mirror_policy([build, deploy]);
            (own.reference_to("arn"), boxed(own))
        }
    };
    let attachment = GroupPolicyAttachment {
        label: "policy_attachment".into(),
        group: group.reference_to("name"),
        policy_arn,
    };
    let membership: Box<dyn StackItem> = match hardened {
        false => boxed(GroupMembership {
            label: "user_membership".into(),
            name: "codecommit_poweruser_membership".into(),
            users: vec![user.reference_to("name")],
            group: group.reference_to("name"),
        }),
        true => boxed(UserGroupMembership {
            label: "user_membership".into(),
            user: user.reference_to("name"),
            groups: vec![group.reference_to("name")],
        }),
    };
    let url = |repository: &CodeCommitRepository| {
        Expr::interpolated(&format!(
            "https://${{aws_iam_service_specific_credential.git_credentials.service_user_name}}@git-codecommit.${{var.region}}.amazonaws.com/v1/repos/${{{}.repository_name}}",
            repository.address()
        ))
    };
    let outputs: Vec<Box<dyn StackItem>> = vec![
        boxed(Output::new("mirror_url_build", url(build))),
        boxed(Output::new("mirror_url_deploy", url(deploy))),
        boxed(
            Output::new(
                "mirror_git_password",
                credential.reference_to("service_password"),
            )
            .sensitive(),
        ),
    ];
    items.push(boxed(user));
    items.push(boxed(credential));
    items.push(boxed(group));
    items.push(policy);
    items.push(boxed(attachment));
    items.push(membership);
    (items, outputs)
}

/// `hardened`'s group policy: pull from and push to the stack's two
/// repositories (a mirror pushes every branch and tag), nothing else.
fn mirror_policy([build, deploy]: [&CodeCommitRepository; 2]) -> IamPolicy {
    let arn = |repository: &CodeCommitRepository| format!("${{{}.arn}}", repository.address());
    IamPolicy {
        label: "mirror".into(),
        name: Expr::interpolated("tf-mlops-git-mirror-${var.env}"),
        path: "/".into(),
        description: Expr::interpolated(
            "Pull from and push to the pipeline's two repositories, for the git mirror (${var.env})",
        ),
        document: PolicyDocument::new(vec![
            Statement::allow()
                .sid("MirrorRepositories")
                .action(many(["codecommit:GitPull", "codecommit:GitPush"]))
                .resource(many([arn(build).as_str(), arn(deploy).as_str()])),
        ]),
        file: GIT_MIRROR,
    }
}
