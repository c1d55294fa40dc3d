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
        actions: Vec<Action>,
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
    let names = service.actions().map(|action| action.name);
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
    if pattern.is_ascii() && text.is_ascii() {
        return matches_symbols(pattern.as_bytes(), text.as_bytes(), u8::eq);
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    matches_symbols(&pattern, &text, char::eq)
}

/// [`glob_matches`] of `pattern` and `text` both lowercased, as IAM
/// compares action names; allocation-free for ASCII, which every action of
/// the catalogue is.
pub(super) fn glob_matches_ignoring_case(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        return matches_symbols(
            pattern.as_bytes(),
            text.as_bytes(),
            u8::eq_ignore_ascii_case,
        );
    }
    glob_matches(&pattern.to_lowercase(), &text.to_lowercase())
}

/// A character of a pattern: a byte when both sides are ASCII (lint's
/// common case, with no allocation), else a `char`.
trait Symbol: Copy + PartialEq {
    const ANY_RUN: Self;
    const ANY_ONE: Self;
}

impl Symbol for u8 {
    const ANY_RUN: u8 = b'*';
    const ANY_ONE: u8 = b'?';
}

impl Symbol for char {
    const ANY_RUN: char = '*';
    const ANY_ONE: char = '?';
}

/// [`glob_matches`] on symbols, `same` saying when a pattern symbol is the
/// text's. A `*` in the text is a literal: a `*` of the pattern first tries
/// to match it as one, as IAM's own matcher does.
fn matches_symbols<S: Symbol>(pattern: &[S], text: &[S], same: impl Fn(&S, &S) -> bool) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == S::ANY_ONE || same(&pattern[p], &text[t])) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == S::ANY_RUN {
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
    pattern[p..].iter().all(|symbol| *symbol == S::ANY_RUN)
}

/// Whether two IAM wildcard patterns (`*` any run, `?` any one character)
/// can match a common text: an ARN in a policy, which may hold wildcards,
/// against a resource type's ARN pattern.
pub(super) fn globs_intersect(left: &str, right: &str) -> bool {
    if left.is_ascii() && right.is_ascii() {
        return symbols_intersect(left.as_bytes(), right.as_bytes());
    }
    let left: Vec<char> = left.chars().collect();
    let right: Vec<char> = right.chars().collect();
    symbols_intersect(&left, &right)
}

/// [`globs_intersect`] on symbols, in linear time for what lint meets and
/// without allocating. The literal ends are matched off first: a common
/// text starts with a character both patterns allow, and what follows is
/// the same question on the rest. Then one side starts with `*` and one
/// ends with `*`:
/// - if different sides, `*X` and `Y*` share a text of Y's followed by X's;
/// - if one side is `*...*`, it shares a text with any pattern holding a
///   `*` (which can spell the whole of it), and with a pattern without one
///   exactly when its star-free pieces fit into that text in order, which
///   the earliest fit of each piece decides.
fn symbols_intersect<S: Symbol>(mut left: &[S], mut right: &[S]) -> bool {
    let agree = |l: &S, r: &S| l == r || *l == S::ANY_ONE || *r == S::ANY_ONE;
    while let ([l, left_rest @ ..], [r, right_rest @ ..]) = (left, right) {
        if *l == S::ANY_RUN || *r == S::ANY_RUN {
            break;
        }
        if !agree(l, r) {
            return false;
        }
        (left, right) = (left_rest, right_rest);
    }
    while let ([left_rest @ .., l], [right_rest @ .., r]) = (left, right) {
        if *l == S::ANY_RUN || *r == S::ANY_RUN {
            break;
        }
        if !agree(l, r) {
            return false;
        }
        (left, right) = (left_rest, right_rest);
    }
    let only_stars = |side: &[S]| side.iter().all(|symbol| *symbol == S::ANY_RUN);
    if left.is_empty() || right.is_empty() {
        return only_stars(left) && only_stars(right);
    }
    let starts = |side: &[S]| side.first() == Some(&S::ANY_RUN);
    let ends = |side: &[S]| side.last() == Some(&S::ANY_RUN);
    if (starts(left) && ends(right)) || (starts(right) && ends(left)) {
        return true;
    }
    // One side is `*...*`; the other starts and ends with no `*`.
    let (open, closed) = if starts(left) {
        (left, right)
    } else {
        (right, left)
    };
    if closed.contains(&S::ANY_RUN) {
        return true;
    }
    let mut rest = closed;
    for piece in open
        .split(|symbol| *symbol == S::ANY_RUN)
        .filter(|piece| !piece.is_empty())
    {
        let fit = rest
            .windows(piece.len())
            .position(|window| window.iter().zip(piece).all(|(t, p)| agree(p, t)));
        match fit {
            Some(start) => rest = &rest[start + piece.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The search `globs_intersect` replaced, kept as its specification:
    /// every pair of positions in the two patterns, from the ends.
    fn intersect_by_search(left: &str, right: &str) -> bool {
        let left: Vec<char> = left.chars().collect();
        let right: Vec<char> = right.chars().collect();
        let width = right.len() + 1;
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

    /// Short patterns over a few symbols, so that wildcards meet often.
    fn pattern() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop::sample::select(vec!['a', 'b', 'A', '*', '?', 'é']),
            0..9,
        )
        .prop_map(|symbols| symbols.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn intersection_agrees_with_the_search(left in pattern(), right in pattern()) {
            prop_assert_eq!(
                globs_intersect(&left, &right),
                intersect_by_search(&left, &right),
                "{} and {}", left, right
            );
        }

        #[test]
        fn matching_ignoring_case_is_matching_the_lowercase(
            pattern in pattern(),
            text in pattern(),
        ) {
            prop_assert_eq!(
                glob_matches_ignoring_case(&pattern, &text),
                glob_matches(&pattern.to_lowercase(), &text.to_lowercase())
            );
        }
    }

    #[test]
    fn arn_parts_intersect_as_their_patterns_allow() {
        assert!(globs_intersect(
            "stateMachine:*",
            "stateMachine:*sagemaker*"
        ));
        assert!(globs_intersect("*", "anything"));
        assert!(globs_intersect("model-package/*/*", "model-package/p/*"));
        assert!(!globs_intersect(
            "model-package-group/*",
            "model-package/p/*"
        ));
        assert!(globs_intersect("*x*y*", "axbyc"));
        assert!(!globs_intersect("*y*x*", "axbyc"));
        assert!(!globs_intersect("a*", "b*"));
    }
}
