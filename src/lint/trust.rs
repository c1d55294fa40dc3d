//! The trusted-service rule's decision, as a pure function of its inputs:
//! the services a trust policy names, the `iam:PassedToService` values of
//! the stack's PassRole statements, and the services the stack is known to
//! run with the role, which the stack's resources declare
//! ([`crate::stack::StackItem::role_uses`]); Terraform read from files has
//! no such list.

use super::actions::glob_matches;

/// Whether a PassRole statement's `iam:PassedToService` values (IAM
/// wildcards allowed) name `service`.
pub fn is_passed(service: &str, passed_to_services: &[String]) -> bool {
    passed_to_services
        .iter()
        .any(|pattern| glob_matches(pattern, service))
}

/// The trusted services that nothing hands the role to, in trust order.
/// `passed_to_services` may hold IAM wildcards (`code*.amazonaws.com`).
pub fn unused_trusted_services<'a>(
    trusted: &'a [String],
    passed_to_services: &[String],
    known_role_users: &[String],
) -> Vec<&'a str> {
    trusted
        .iter()
        .filter(|service| {
            let passed = is_passed(service, passed_to_services);
            let used = known_role_users.iter().any(|user| user == *service);
            !passed && !used
        })
        .map(String::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|value| value.to_string()).collect()
    }

    #[test]
    fn a_service_is_used_when_passed_to_or_known_to_run_the_role() {
        let trusted = strings(&[
            "sagemaker.amazonaws.com",
            "codebuild.amazonaws.com",
            "lambda.amazonaws.com",
        ]);
        let passed = strings(&["sage*.amazonaws.com"]);
        assert_eq!(
            unused_trusted_services(&trusted, &passed, &[]),
            ["codebuild.amazonaws.com", "lambda.amazonaws.com"]
        );
        let users = strings(&["codebuild.amazonaws.com"]);
        assert_eq!(
            unused_trusted_services(&trusted, &passed, &users),
            ["lambda.amazonaws.com"]
        );
    }
}
