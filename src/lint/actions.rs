//! Action classification and IAM wildcard matching.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ActionClass {
    /// `*` or `service:*`.
    Everything,
    Read,
    Write,
    PermissionsManagement,
}

/// Name prefixes of read actions (compared case-insensitively). `Query`
/// and `Validate` read too (`sagemaker:QueryLineage`,
/// `cloudformation:ValidateTemplate` change nothing).
const READ_VERBS: [&str; 9] = [
    "get",
    "list",
    "describe",
    "batchget",
    "batchcheck",
    "search",
    "gitpull",
    "query",
    "validate",
];

/// Words in a write action's name that make it permissions management.
const PERMISSION_WORDS: [&str; 4] = ["policy", "acl", "permission", "grant"];

/// Classifies an action by its verb (see the module documentation); `None`
/// for a value that is not `service:name`.
pub(super) fn classify_action(action: &str) -> Option<ActionClass> {
    if action == "*" {
        return Some(ActionClass::Everything);
    }
    let (service, name) = action.split_once(':')?;
    if name == "*" {
        return Some(ActionClass::Everything);
    }
    let name = name.to_lowercase();
    let known = name.split(['*', '?']).next().unwrap_or_default();
    if READ_VERBS.iter().any(|verb| known.starts_with(verb)) {
        return Some(ActionClass::Read);
    }
    let permissions = service.eq_ignore_ascii_case("iam")
        || PERMISSION_WORDS.iter().any(|word| name.contains(word));
    Some(if permissions {
        ActionClass::PermissionsManagement
    } else {
        ActionClass::Write
    })
}

/// IAM wildcard matching: `*` is any run of characters, `?` any one.
pub(super) fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            backtrack = Some((p, t));
            p += 1;
        } else if let Some((star, matched)) = backtrack {
            p = star + 1;
            t = matched + 1;
            backtrack = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}
