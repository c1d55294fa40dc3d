//! What an `Action` value grants, from AWS's catalogue (access levels
//! replace the old verb lists), and IAM wildcard matching.

use super::catalogue::{AccessLevel, Action, Catalogue, closest};

/// What one value of a statement's `Action` grants, looked up in AWS's
/// catalogue.
#[derive(Debug)]
pub(super) enum Granted {
    /// `*` or `service:*`: every action, reported only by
    /// `iam-service-wildcard-all-resources`.
    Everything,
    /// The catalogue's actions the value names: one for a plain name, every
    /// match for a wildcard (`sagemaker:*App` is `CreateApp`, `DeleteApp`).
    Actions {
        service: &'static str,
        actions: Vec<&'static Action>,
    },
    /// Not an action of the catalogue: `iam-action-unknown` says why and
    /// offers the closest real name.
    Unknown { problem: String, fix: String },
}

impl Granted {
    /// The worst access level of the actions granted.
    pub(super) fn worst_level(&self) -> Option<AccessLevel> {
        match self {
            Granted::Actions { actions, .. } => actions.iter().map(|action| action.level).max(),
            Granted::Everything | Granted::Unknown { .. } => None,
        }
    }
}

/// Looks an `Action` value up in the catalogue.
pub(super) fn granted(value: &str) -> Granted {
    if value == "*" {
        return Granted::Everything;
    }
    let Some((prefix, name)) = value.split_once(':') else {
        return Granted::Unknown {
            problem: "is not service:action".to_string(),
            fix: "write the service prefix, a colon and the action, e.g. \"s3:GetObject\""
                .to_string(),
        };
    };
    let catalogue = Catalogue::get();
    let Some(service) = catalogue.service(prefix) else {
        let fix = match catalogue.closest_prefix(prefix) {
            Some(meant) => format!("did you mean {meant}? write \"{meant}:{name}\""),
            None => "use a service prefix from the Service Authorization Reference".to_string(),
        };
        return Granted::Unknown {
            problem: format!("names service \"{prefix}\", which AWS does not have"),
            fix,
        };
    };
    if name == "*" {
        return Granted::Everything;
    }
    let actions = if name.contains(['*', '?']) {
        service.matching(name)
    } else {
        service.action(name).into_iter().collect()
    };
    if !actions.is_empty() {
        return Granted::Actions {
            service: service.prefix,
            actions,
        };
    }
    if name.contains(['*', '?']) {
        return Granted::Unknown {
            problem: format!("matches no {} action", service.prefix),
            fix: format!(
                "correct the pattern; {} actions are listed in the Service Authorization Reference",
                service.prefix
            ),
        };
    }
    let names = service.actions.iter().map(|action| action.name);
    let fix = match closest(name, names) {
        Some(meant) => format!("did you mean {prefix}:{meant}? write \"{prefix}:{meant}\""),
        None => format!("use an action {} has", service.prefix),
    };
    Granted::Unknown {
        problem: format!("is not a {} action", service.prefix),
        fix,
    }
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

/// Whether two IAM wildcard patterns (`*` any run, `?` any one character)
/// can match a common text: an ARN in a policy, which may hold wildcards,
/// against a resource type's ARN pattern.
pub(super) fn globs_intersect(left: &str, right: &str) -> bool {
    if left == "*" || right == "*" {
        return true;
    }
    if !left.contains(['*', '?']) && !right.contains(['*', '?']) {
        return left == right;
    }
    let left: Vec<char> = left.chars().collect();
    let right: Vec<char> = right.chars().collect();
    let width = right.len() + 1;
    // reachable[i * width + j]: left[i..] and right[j..] can still meet.
    let mut reachable = vec![false; (left.len() + 1) * width];
    reachable[left.len() * width + right.len()] = true;
    for i in (0..=left.len()).rev() {
        for j in (0..=right.len()).rev() {
            if i == left.len() && j == right.len() {
                continue;
            }
            let at = |i: usize, j: usize| reachable[i * width + j];
            let (l, r) = (left.get(i), right.get(j));
            let mut can = false;
            if l == Some(&'*') {
                can |= at(i + 1, j) || (j < right.len() && at(i, j + 1));
            }
            if r == Some(&'*') {
                can |= at(i, j + 1) || (i < left.len() && at(i + 1, j));
            }
            if let (Some(l), Some(r)) = (l, r)
                && *l != '*'
                && *r != '*'
                && (l == r || *l == '?' || *r == '?')
            {
                can |= at(i + 1, j + 1);
            }
            reachable[i * width + j] = can;
        }
    }
    reachable[0]
}
