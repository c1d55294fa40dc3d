//! The rules AWS enforces, checked before Terraform runs.
//!
//! Every name is checked as the concrete value an environment gives it
//! (`tf-mlops-role-${var.env}-1007` as `tf-mlops-role-prod-1007`), and every
//! policy document as the JSON AWS would receive. Each problem names the
//! environment, the field, the value, the rule and where the value came
//! from; all problems are returned, not only the first.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::config::rules::{AccountNames, name_collisions};
use crate::config::{Config, Environment};
use crate::error::{Diagnostic, Error, Origin, Result, Severity};
use crate::policy::{PolicyDocument, PolicyKind, VERSION};
use crate::render::jsonencode::jsonencode_resolved;
use crate::stack::rules::{Namespace, Scope};
use crate::stack::{Checks, PolicyRef, SizeLimit, Stack};

pub use crate::stack::rules::{
    BUCKET_NAME_MAX, BUCKET_NAME_MIN, DESCRIPTION_MAX, PATH_MAX, POLICY_NAME_MAX, ROLE_NAME_MAX,
    SESSION_MAX, SESSION_MIN, bucket_name_problems,
};

/// Checks every environment of `config` (each stack's own rules, then the
/// rules across environments), then builds the stacks of `environments`
/// and checks those too (an environment rendered under another profile is
/// not in `config`). Every problem is reported together; nothing is
/// returned unless all of them are valid. Every stack asked for is held at
/// once: for many environments, [`map_valid`] keeps only what is made of
/// each.
pub fn build_valid<'a>(
    config: &Config,
    environments: Vec<&'a Environment>,
) -> Result<Vec<(&'a Environment, Stack)>> {
    let index_of = |environment: &Environment| index_in(config, environment);
    let keep = selection(config, &environments);
    // The stacks validation builds for the environments asked for are kept,
    // not built again.
    let mut kept: Vec<Option<Stack>> = Vec::new();
    kept.resize_with(config.environments.len(), || None);
    let indices: Vec<usize> = (0..keep.len()).filter(|index| keep[*index]).collect();
    for (index, stack) in indices
        .into_iter()
        .zip(map_valid(config, &keep, |_, stack| Ok(stack))?)
    {
        kept[index] = Some(stack);
    }
    let mut problems = Vec::new();
    let mut stacks = Vec::with_capacity(environments.len());
    for environment in environments {
        let stack = match index_of(environment) {
            Some(index) => kept[index]
                .take()
                .unwrap_or_else(|| Stack::build(environment)),
            // Not in `config` (another profile): check it as well.
            None => {
                let stack = Stack::build(environment);
                problems.extend(validate(&stack));
                stack
            }
        };
        stacks.push((environment, stack));
    }
    if problems.is_empty() {
        Ok(stacks)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// An environment's index in `config`; none for one that is not there (a
/// copy under another profile).
fn index_in(config: &Config, environment: &Environment) -> Option<usize> {
    let all = &config.environments;
    let address = std::ptr::from_ref(environment);
    all.as_ptr_range()
        .contains(&address)
        .then(|| (address.addr() - all.as_ptr().addr()) / size_of::<Environment>())
}

/// Which of `config`'s environments (by index) are among `environments`.
pub fn selection(config: &Config, environments: &[&Environment]) -> Vec<bool> {
    let mut keep = vec![false; config.environments.len()];
    for index in environments
        .iter()
        .filter_map(|environment| index_in(config, environment))
    {
        keep[index] = true;
    }
    keep
}

/// Checks every environment of `config` as [`for_each_valid`] does, and
/// makes something of the stack of each environment `keep` picks (by index
/// in `tfgen.hcl`), on the thread that built it: a report, findings. The
/// results are in `tfgen.hcl`'s order. Each stack is dropped once `map`
/// returns, so memory grows with what `map` makes, not with the stacks.
pub fn map_valid<'c, T: Send>(
    config: &'c Config,
    keep: &[bool],
    map: impl Fn(&'c Environment, Stack) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    map_valid_with(
        config,
        keep,
        || (),
        |_, environment, stack| map(environment, stack),
    )
}

/// [`map_valid`] with a state per thread, made by `start` (a cache of
/// what the thread printed), that `map` is handed with each stack.
pub fn map_valid_with<'c, S: Send, T: Send>(
    config: &'c Config,
    keep: &[bool],
    mut start: impl FnMut() -> S,
    map: impl Fn(&mut S, &'c Environment, Stack) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let parts = for_each_valid(
        config,
        || Ok((start(), Vec::new())),
        |(state, made), index, environment, stack| {
            if keep[index] {
                made.push((index, map(state, environment, stack)?));
            }
            Ok(())
        },
    )?;
    let mut made: Vec<(usize, T)> = parts.into_iter().flat_map(|(_, made)| made).collect();
    made.sort_by_key(|(index, _)| *index);
    Ok(made.into_iter().map(|(_, value)| value).collect())
}

/// Environments a worker takes from the queue at a time.
const BATCH: usize = 16;
/// Each thread beyond the first must have at least this many environments
/// to check: starting one costs more than checking a few (a `tfgen.hcl` of
/// a handful of environments runs on the calling thread alone).
const PER_WORKER: usize = 64;

/// How many threads [`for_each_valid`] checks `environments` environments
/// on: one per processor it may use, fewer for a small `tfgen.hcl`.
pub fn workers_for(environments: usize) -> usize {
    let available = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    available.min(environments.div_ceil(PER_WORKER)).max(1)
}

/// Checks every environment of `config` (each stack's own rules, then the
/// rules across environments). Stacks are built and checked one at a time
/// on each of [`workers_for`] threads; only what the rules across
/// environments need is kept ([`SharedNames`]). Each stack is handed to
/// `visit` once it is built and checked (with its index in `tfgen.hcl`
/// and the state of the thread
/// that holds it: one `start()` per thread, made on the calling thread and
/// returned at the end), while no environment was invalid, so a command that
/// renders each environment builds each stack once, not once to validate
/// and once to render. Stacks are dropped after `visit`, so memory stays
/// flat. The rules across environments can only be checked after the last
/// one: a caller must not act on what it was handed (write a file) before
/// this returns `Ok`.
///
/// The outcome is the one checking the environments in order would give:
/// the problems of every environment in `tfgen.hcl`'s order, then those
/// across them; or the first environment's error from `visit` when every
/// environment before it was valid.
pub fn for_each_valid<'c, W: Send>(
    config: &'c Config,
    start: impl FnMut() -> Result<W>,
    visit: impl Fn(&mut W, usize, &'c Environment, Stack) -> Result<()> + Sync,
) -> Result<Vec<W>> {
    let workers = workers_for(config.environments.len());
    for_each_valid_on(config, workers, start, visit)
}

/// [`for_each_valid`] on `workers` threads.
fn for_each_valid_on<'c, W: Send>(
    config: &'c Config,
    workers: usize,
    mut start: impl FnMut() -> Result<W>,
    visit: impl Fn(&mut W, usize, &'c Environment, Stack) -> Result<()> + Sync,
) -> Result<Vec<W>> {
    let environments = &config.environments;
    let states = (0..workers).map(|_| start()).collect::<Result<Vec<W>>>()?;
    let queue = Queue {
        next: AtomicUsize::new(0),
        invalid: AtomicBool::new(false),
        failed: AtomicBool::new(false),
    };
    let work = |state: W| queue.work(environments, state, &visit);
    let parts: Vec<Part<W>> = if workers == 1 {
        states.into_iter().map(work).collect()
    } else {
        std::thread::scope(|scope| {
            let threads: Vec<_> = states
                .into_iter()
                .map(|state| scope.spawn(|| work(state)))
                .collect();
            threads
                .into_iter()
                .map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    let mut problems: Vec<(usize, Vec<Diagnostic>)> = Vec::new();
    let mut shared: Vec<(usize, SharedNames)> = Vec::with_capacity(environments.len());
    let mut failure: Option<(usize, Error)> = None;
    let mut states = Vec::with_capacity(parts.len());
    for part in parts {
        problems.extend(part.problems);
        shared.extend(part.shared);
        if let Some((index, error)) = part.failed
            && failure.as_ref().is_none_or(|(first, _)| index < *first)
        {
            failure = Some((index, error));
        }
        states.push(part.state);
    }
    problems.sort_by_key(|(index, _)| *index);
    // Checked in order, an environment's error ends the run only when no
    // environment before it had problems.
    if let Some((index, error)) = failure
        && problems.first().is_none_or(|(first, _)| *first > index)
    {
        return Err(error);
    }
    shared.sort_by_key(|(index, _)| *index);
    let shared: Vec<SharedNames> = shared.into_iter().map(|(_, names)| names).collect();
    let mut problems: Vec<Diagnostic> = problems.into_iter().flat_map(|(_, list)| list).collect();
    problems.extend(validate_across(&shared));
    if problems.is_empty() {
        Ok(states)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The environments still to check, shared by the threads that check them.
struct Queue {
    /// The next environment nobody has taken.
    next: AtomicUsize,
    /// An environment had problems: nothing more is visited.
    invalid: AtomicBool,
    /// `visit` failed: nothing more is visited.
    failed: AtomicBool,
}

/// What one thread found, each item with its environment's index.
struct Part<W> {
    state: W,
    problems: Vec<(usize, Vec<Diagnostic>)>,
    shared: Vec<(usize, SharedNames)>,
    failed: Option<(usize, Error)>,
}

impl Queue {
    fn work<'c, W>(
        &self,
        environments: &'c [Environment],
        mut state: W,
        visit: &impl Fn(&mut W, usize, &'c Environment, Stack) -> Result<()>,
    ) -> Part<W> {
        let mut problems = Vec::new();
        let mut shared = Vec::new();
        let mut failed = None;
        loop {
            let first = self.next.fetch_add(BATCH, Ordering::Relaxed);
            if first >= environments.len() {
                break;
            }
            for (index, environment) in environments.iter().enumerate().skip(first).take(BATCH) {
                let stack = Stack::build(environment);
                let found = validate(&stack);
                shared.push((index, SharedNames::of(environment, &stack)));
                if !found.is_empty() {
                    self.invalid.store(true, Ordering::Relaxed);
                    problems.push((index, found));
                    continue;
                }
                if self.invalid.load(Ordering::Relaxed) || self.failed.load(Ordering::Relaxed) {
                    continue;
                }
                if let Err(error) = visit(&mut state, index, environment, stack) {
                    self.failed.store(true, Ordering::Relaxed);
                    failed = Some((index, error));
                }
            }
        }
        Part {
            state,
            problems,
            shared,
            failed,
        }
    }
}

/// Checks one environment's stack: each item's own rules, then every policy
/// document against the rules and size limit of its kind.
pub fn validate(stack: &Stack) -> Vec<Diagnostic> {
    checked(stack).0
}

/// The warnings and notes of one environment's stack (deprecated images,
/// steps a person must take), which do not stop a command.
pub fn advice(stack: &Stack) -> Vec<Diagnostic> {
    checked(stack).1
}

/// Every check of one stack: its errors, and its warnings and notes.
fn checked(stack: &Stack) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut checks = Checks::new(stack);
    for item in &stack.items {
        item.check(&mut checks);
    }
    for policy in stack.policies() {
        policy_document(&mut checks, &policy);
    }
    checks.into_parts()
}

/// The names of one environment that others must not reuse, resolved,
/// each with its field, origin and namespace: what the items declare
/// ([`StackItem::unique_names`]).
pub struct SharedNames {
    pub environment: String,
    pub account_id: Option<String>,
    pub region: String,
    pub names: Vec<(String, String, Origin, Namespace)>,
}

impl SharedNames {
    pub fn of(environment: &Environment, stack: &Stack) -> SharedNames {
        let checks = Checks::new(stack);
        let names = stack
            .items
            .iter()
            .flat_map(|item| item.unique_names())
            .filter_map(|unique| {
                let value = stack.evaluate(&unique.name)?;
                Some((
                    unique.field,
                    value,
                    checks.origin_of(&unique.name),
                    unique.namespace,
                ))
            })
            .collect();
        SharedNames {
            environment: environment.name.clone(),
            account_id: environment
                .account_id
                .as_ref()
                .map(|account| account.id.clone()),
            region: stack.region().unwrap_or_default(),
            names,
        }
    }
}

/// Checks what environments must not share: S3 bucket names are global,
/// IAM names are unique per account, most services' names per account and
/// region.
pub fn validate_across(environments: &[SharedNames]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for environment in environments {
        let global = environment
            .names
            .iter()
            .filter(|(.., namespace)| namespace.scope == Scope::Global);
        for (field, name, origin, namespace) in global {
            if let Some(first) = seen.get(name.as_str()) {
                problems.push(Diagnostic {
                    severity: Severity::Error,
                    rule: namespace.rule,
                    origin: origin.clone(),
                    environment: Some(environment.environment.clone()),
                    field: Some(field.clone()),
                    message: format!(
                        "{} \"{name}\" is also used by environment \"{first}\"",
                        namespace.what
                    ),
                    help: namespace.help.into(),
                });
            } else {
                seen.insert(name, &environment.environment);
            }
        }
    }
    let in_accounts: Vec<AccountNames<'_>> = environments
        .iter()
        .map(|environment| AccountNames {
            environment: &environment.environment,
            account_id: environment.account_id.as_deref(),
            region: &environment.region,
            names: environment.names.as_slice().into(),
        })
        .collect();
    problems.extend(name_collisions(&in_accounts));
    problems
}

/// A policy document's size against its limit, for `tfgen validate`.
pub struct PolicySize {
    pub field: String,
    pub characters: usize,
    pub limit: usize,
}

impl PolicySize {
    /// How much of its limit the document uses, in percent.
    pub fn percent(&self) -> f64 {
        100.0 * self.characters as f64 / self.limit as f64
    }
}

/// The size of each policy document of the stack, as AWS counts it.
pub fn policy_sizes(stack: &Stack) -> Vec<PolicySize> {
    stack
        .policies()
        .into_iter()
        .map(|policy| PolicySize {
            characters: policy_size(stack, policy.document),
            limit: policy.limit.characters,
            field: policy.field,
        })
        .collect()
}

/// The document as AWS receives it (Terraform's `jsonencode`, references
/// resolved). A reference tfgen cannot resolve counts as written, `${...}`.
fn policy_text(stack: &Stack, document: &PolicyDocument) -> String {
    jsonencode_resolved(&document.to_expr(), &|path| stack.resolve(path)).unwrap_or_default()
}

fn policy_size(stack: &Stack, document: &PolicyDocument) -> usize {
    measure(&policy_text(stack, document)).0
}

/// A policy text's size as AWS counts it (characters, whitespace not
/// counted) and its first character IAM does not accept (it takes only tab,
/// LF, CR and U+0020 to U+00FF), in one pass. Policies are nearly always
/// ASCII, which is counted byte by byte.
fn measure(text: &str) -> (usize, Option<char>) {
    let accepted = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}');
    if !text.is_ascii() {
        let size = text.chars().filter(|c| !c.is_whitespace()).count();
        return (size, text.chars().find(|c| !accepted(*c)));
    }
    // Both loops are written so the compiler turns them into vector code:
    // ASCII whitespace is the space and \t to \r, and a text whose smallest
    // byte is a space holds no control character at all.
    // Counted in bytes per block of 255, so the count is a vector of bytes.
    let bytes = text.as_bytes();
    let blank: usize = bytes
        .chunks(255)
        .map(|block| {
            block
                .iter()
                .map(|byte| u8::from(*byte == b' ' || byte.wrapping_sub(b'\t') < 5))
                .fold(0u8, u8::wrapping_add) as usize
        })
        .sum();
    let bad = match bytes.iter().copied().min() {
        Some(smallest) if smallest < b' ' => bytes
            .iter()
            .find(|byte| **byte < b' ' && !matches!(byte, b'\t' | b'\n' | b'\r'))
            .map(|byte| *byte as char),
        _ => None,
    };
    (bytes.len() - blank, bad)
}

/// A policy document: its size against its kind's limit, its characters,
/// its Version, and the elements every statement needs.
fn policy_document(checks: &mut Checks, policy: &PolicyRef<'_>) {
    let (field, kind, document) = (policy.field.as_str(), policy.kind, policy.document);
    let origin = checks.profile_origin();
    let (size, bad) = measure(&policy_text(checks.stack(), document));
    let SizeLimit {
        characters: limit,
        what,
    } = policy.limit;
    if size > limit {
        checks.report(
                "iam-policy-size",
                origin.clone(),
                field,
                format!("the document is {size} characters (whitespace not counted); {what} allows {limit}"),
                "merge statements that share a resource, use wildcards in action names, or split the policy in two",
            );
    }
    if let Some(bad) = bad {
        checks.report(
                "iam-policy-charset",
                origin.clone(),
                field,
                format!("the document contains {bad:?} (U+{:04X}); IAM accepts only tab, LF, CR and U+0020 to U+00FF", bad as u32),
                "remove the character from the policy's values",
            );
    }
    if document.version.as_deref() != Some(VERSION) {
        let found = document
            .version
            .as_deref()
            .map_or("no Version".to_string(), |v| format!("Version \"{v}\""));
        checks.report(
            "iam-policy-version",
            origin.clone(),
            field,
            format!("the document has {found}"),
            "set Version = \"2012-10-17\"",
        );
    }
    for (index, statement) in document.statements.iter().enumerate() {
        let label = statement.label(index);
        if statement.effect.is_none() {
            checks.report(
                "iam-statement-effect",
                origin.clone(),
                field,
                format!("{label} has no Effect"),
                "add Effect = \"Allow\" or \"Deny\"",
            );
        }
        let empty = |values: &crate::policy::Values| values.items().is_empty();
        if statement
            .action
            .as_ref()
            .is_none_or(|action| empty(&action.values))
        {
            checks.report(
                "iam-statement-action",
                origin.clone(),
                field,
                format!("{label} has neither Action nor NotAction"),
                "add exactly one of Action or NotAction",
            );
        }
        if kind == PolicyKind::Identity
            && statement
                .resource
                .as_ref()
                .is_none_or(|resource| empty(&resource.values))
        {
            checks.report(
                "iam-statement-resource",
                origin.clone(),
                field,
                format!("{label} has neither Resource nor NotResource"),
                "add exactly one of Resource or NotResource (identity policies need one)",
            );
        }
    }
}

#[cfg(test)]
mod tests;
