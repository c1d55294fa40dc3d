//! The MLOps stack as data: an ordered catalogue of items (the terraform
//! settings, the provider, variables, resources, data sources, locals and
//! outputs) built for one environment by its profile.
//!
//! A [`Stack`] is typed values only; it knows nothing of text. Every item
//! type lives in its own file under [`resources`] and says there, in one
//! `impl StackItem`, everything about itself: its address, the file it is
//! written to, the blocks it lowers to, the values others may reference
//! before apply, its policy documents and its AWS rules. The stack itself
//! holds no per-type code: lowering, resolving references, collecting
//! policies and running checks walk the list. Adding a resource type is one
//! new file and one line in a profile ([`seed`], [`hardened`]); printers,
//! `validate`, `read` and `diff` never change (docs/architecture.md).
//!
//! The stack's input is its own type, [`StackInput`]: `config` builds it
//! from `tfgen.hcl`, and nothing here knows that file.

mod git_mirror;
mod hardened;
pub mod history;
mod pipeline;
mod pipeline_roles;
pub mod remote_state;
pub mod resources;
pub mod rules;
mod seed;
pub mod source;

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

pub use resources::variable::{VARIABLES, Variable, VariableSpec};
pub use rules::Checks;

use crate::error::Origin;
use crate::model::{Block, Document, Expr};
use crate::policy::{PolicyDocument, PolicyKind};

/// A variant of the stack. `seed` is the reference exactly; `hardened` adds
/// the bucket protections and a least-privilege policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    Seed,
    Hardened,
}

impl Profile {
    pub const ALL: [Profile; 2] = [Profile::Seed, Profile::Hardened];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Seed => "seed",
            Profile::Hardened => "hardened",
        }
    }

    pub fn names() -> Vec<&'static str> {
        Profile::ALL.iter().map(|profile| profile.name()).collect()
    }

    /// The items of this profile for an environment whose variables are
    /// already resolved.
    fn items(self, input: &StackInput, variables: Vec<Variable>) -> Vec<Box<dyn StackItem>> {
        match self {
            Profile::Seed => seed::items(input, variables),
            Profile::Hardened => hardened::items(input, variables),
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|profile| profile.name() == text)
            .ok_or_else(|| format!("unknown profile \"{text}\""))
    }
}

/// What a stack is built from: an environment's name, profile and the
/// variables it sets. `config` builds one from `tfgen.hcl`.
#[derive(Debug, Clone, PartialEq)]
pub struct StackInput {
    pub environment: String,
    pub profile: Profile,
    /// Where the environment is defined (the origin of `env`'s default).
    pub origin: Origin,
    /// Variables set explicitly; the others take the reference defaults.
    pub settings: Vec<Setting>,
    /// Whether the MLOps pipeline (repositories, builds, pipelines, the
    /// model-approval trigger) is built around the foundation.
    pub pipeline: bool,
    /// Remote state, account guard, role and tags; empty renders as before.
    pub remote: remote_state::EnvironmentSettings,
    /// `hardened` keeps what holds data from `terraform destroy`
    /// (`prevent_destroy`, no `force_destroy`); `deletion_protection =
    /// false` in tfgen.hcl lifts it, to delete the environment on purpose.
    pub deletion_protection: bool,
    /// Where the pipelines get the code (CodeCommit unless `source { }`).
    pub source: source::PipelineSource,
    /// Who is emailed when the manual approval waits (`approval { }`).
    pub approval: Option<source::Approval>,
}

/// A variable value set for an environment, with where it was set.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub name: String,
    pub value: String,
    pub origin: Origin,
}

/// The file of a stack an item is written to: `s3` becomes `s3.tf` and
/// `s3.tf.json`. Files are written in the order their first item appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StackFile(&'static str);

impl StackFile {
    pub const VERSIONS: StackFile = StackFile("versions");
    pub const PROVIDER: StackFile = StackFile("provider");
    pub const VARIABLES: StackFile = StackFile("variables");
    pub const S3: StackFile = StackFile("s3");
    pub const IAM_ROLES: StackFile = StackFile("iam_roles");
    pub const OUTPUTS: StackFile = StackFile("outputs");

    pub const fn new(name: &'static str) -> StackFile {
        StackFile(name)
    }

    pub fn name(self) -> &'static str {
        self.0
    }
}

/// How other items refer to an item: the first parts of a Terraform
/// reference (`aws_s3_bucket.artifacts_bucket`, `var.region`,
/// `data.aws_caller_identity.current`, `local`), or nothing for items no
/// expression can name (the terraform block, a provider, an output).
///
/// Names borrow from the item where they can (`address()` runs for every
/// item on every reference tfgen resolves); [`Address::into_owned`] gives one
/// that outlives its item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address<'a> {
    Resource {
        kind: &'static str,
        name: Cow<'a, str>,
    },
    Data {
        kind: &'static str,
        name: Cow<'a, str>,
    },
    Variable(Cow<'a, str>),
    /// A `locals` block: `local.<name>` for each of its values.
    Locals,
    Output(Cow<'a, str>),
    Unnamed(&'static str),
}

impl<'a> Address<'a> {
    pub fn resource(kind: &'static str, name: impl Into<Cow<'a, str>>) -> Address<'a> {
        Address::Resource {
            kind,
            name: name.into(),
        }
    }

    /// The same address, owning its name.
    pub fn into_owned(self) -> Address<'static> {
        let owned = |name: Cow<'a, str>| Cow::Owned(name.into_owned());
        match self {
            Address::Resource { kind, name } => Address::Resource {
                kind,
                name: owned(name),
            },
            Address::Data { kind, name } => Address::Data {
                kind,
                name: owned(name),
            },
            Address::Variable(name) => Address::Variable(owned(name)),
            Address::Locals => Address::Locals,
            Address::Output(name) => Address::Output(owned(name)),
            Address::Unnamed(what) => Address::Unnamed(what),
        }
    }

    /// The rest of `path` after this address, when `path` refers to it:
    /// `["aws_iam_role", "x", "arn"]` is `["arn"]` of `aws_iam_role.x`.
    pub fn strip<'p>(&self, path: &'p [String]) -> Option<&'p [String]> {
        let matches = |parts: &[&str]| {
            path.len() >= parts.len() && path.iter().zip(parts).all(|(have, want)| have == want)
        };
        let length = match self {
            Address::Resource { kind, name } => matches(&[kind, name]).then_some(2),
            Address::Data { kind, name } => matches(&["data", kind, name]).then_some(3),
            Address::Variable(name) => matches(&["var", name]).then_some(2),
            Address::Locals => matches(&["local"]).then_some(1),
            Address::Output(_) | Address::Unnamed(_) => None,
        }?;
        Some(&path[length..])
    }
}

impl fmt::Display for Address<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Resource { kind, name } => write!(f, "{kind}.{name}"),
            Address::Data { kind, name } => write!(f, "data.{kind}.{name}"),
            Address::Variable(name) => write!(f, "var.{name}"),
            Address::Locals => f.write_str("locals"),
            Address::Output(name) => write!(f, "output.{name}"),
            Address::Unnamed(what) => f.write_str(what),
        }
    }
}

/// A policy document of the stack, with where it sits.
pub struct PolicyRef<'a> {
    /// The resource address and argument, e.g. `aws_iam_policy.tf_mlops_policy.policy`.
    pub field: String,
    pub kind: PolicyKind,
    pub document: &'a PolicyDocument,
    /// The size AWS accepts for this document, which depends on where it
    /// sits (a managed policy, a trust policy, a bucket or a key policy).
    pub limit: SizeLimit,
    /// In a key policy `Resource "*"` means the key the policy is on, not
    /// every resource (AWS accepts nothing else there).
    pub star_is_this_resource: bool,
}

/// A policy document's size limit, in characters not counting whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeLimit {
    pub characters: usize,
    /// What is limited, in messages: `a managed policy`.
    pub what: &'static str,
}

impl SizeLimit {
    pub const MANAGED_POLICY: SizeLimit = SizeLimit {
        characters: 6144,
        what: "a managed policy",
    };
    /// The default quota of a role's trust policy.
    pub const TRUST_POLICY: SizeLimit = SizeLimit {
        characters: 2048,
        what: "a role trust policy",
    };
    pub const BUCKET_POLICY: SizeLimit = SizeLimit {
        characters: 20480,
        what: "a bucket policy",
    };
    pub const KEY_POLICY: SizeLimit = SizeLimit {
        characters: 32768,
        what: "a key policy",
    };

    /// The usual limit of a document of `kind`, where nothing says more
    /// (a policy read from a file).
    pub fn of_kind(kind: PolicyKind) -> SizeLimit {
        match kind {
            PolicyKind::Identity => SizeLimit::MANAGED_POLICY,
            PolicyKind::Trust => SizeLimit::TRUST_POLICY,
            PolicyKind::Resource => SizeLimit::BUCKET_POLICY,
        }
    }
}

/// A service acting as a role because of an item: CodeBuild runs a project
/// as its `service_role`; a build hands `SAGEMAKER_PIPELINE_ROLE_ARN` on to
/// SageMaker, which then assumes it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleUse {
    /// The role as the item names it (`aws_iam_role.codebuild.arn`).
    pub role: Expr,
    /// The service principal that assumes the role (`codebuild.amazonaws.com`).
    pub service: &'static str,
    /// The argument that names the role, as a dotted path
    /// (`service_role`, `stage.Deploy.action.DeployStaging.RoleArn`).
    pub argument: String,
    /// Whether the item hands the role on to `service` rather than its own
    /// service assuming it (the item's service then needs `iam:PassRole`).
    pub handed_on: bool,
}

impl RoleUse {
    pub fn assumed(role: &Expr, service: &'static str, argument: impl Into<String>) -> RoleUse {
        RoleUse {
            role: role.clone(),
            service,
            argument: argument.into(),
            handed_on: false,
        }
    }

    pub fn handed_on(role: &Expr, service: &'static str, argument: impl Into<String>) -> RoleUse {
        RoleUse {
            handed_on: true,
            ..RoleUse::assumed(role, service, argument)
        }
    }
}

/// A role use with the item that declares it and the role of the stack it
/// names (`None` when the expression names no role of the stack).
#[derive(Debug, Clone, PartialEq)]
pub struct RoleUser {
    pub user: Address<'static>,
    pub role: Option<Address<'static>>,
    pub role_use: RoleUse,
}

/// How `tfgen adopt` takes an existing object into Terraform's state, for
/// a team whose resources exist but whose state is lost (or never was
/// Terraform's).
#[derive(Debug, Clone, PartialEq)]
pub enum Import {
    /// An `import {}` block with this ID: the expression is the one the
    /// provider imports the type by (a name, an ARN, `<role>/<policy ARN>`),
    /// written with the item's own references; `tfgen adopt` evaluates it
    /// to text. `lookup` is a data source the ID reads at plan time, for an
    /// ID AWS chose that another name of the stack finds (a key by its
    /// alias).
    Id { id: Expr, lookup: Option<Block> },
    /// AWS chose the ID at creation and nothing the stack names finds it:
    /// `--id ADDRESS=ID` gives it, in `format`; `listed_by` is the command
    /// that shows it.
    ChosenByAws { format: String, listed_by: String },
    /// The provider cannot import the type: Terraform creates it, which
    /// does `what_apply_does`.
    Unsupported { what_apply_does: &'static str },
}

impl Import {
    /// An import by `id`, with no lookup.
    pub fn id(id: Expr) -> Import {
        Import::Id { id, lookup: None }
    }

    /// The expressions' texts one after the other, as one template
    /// (`<group>/<policy ARN>`).
    pub fn joined(parts: &[&Expr]) -> Expr {
        let mut template = Vec::new();
        for part in parts {
            match part.uncommented() {
                Expr::String(text) => {
                    template.push(crate::model::TemplatePart::Literal(text.clone()))
                }
                Expr::Template(inner) => template.extend(inner.iter().cloned()),
                other => template.push(crate::model::TemplatePart::Interpolation(other.clone())),
            }
        }
        Expr::Template(template)
    }
}

/// A name of the stack that other environments must not reuse, in its
/// namespace (an S3 bucket's, IAM's, a service's in a region).
#[derive(Debug, Clone, PartialEq)]
pub struct UniqueName {
    /// The field, for messages: `aws_codepipeline.sm_ci_pipeline.name`.
    pub field: String,
    pub name: Expr,
    pub namespace: rules::Namespace,
}

impl UniqueName {
    /// `<address>.<attribute>` named `name` in `namespace`.
    pub fn of(
        item: &dyn StackItem,
        attribute: &str,
        name: &Expr,
        namespace: rules::Namespace,
    ) -> UniqueName {
        UniqueName {
            field: format!("{}.{attribute}", item.address()),
            name: name.clone(),
            namespace,
        }
    }
}

/// Items as a profile lists them.
pub type Items = Vec<Box<dyn StackItem>>;

/// One entry of the catalogue. Each type implements this in its own file.
pub trait StackItem: fmt::Debug + ItemObject + Send + Sync {
    /// How references name this item.
    fn address(&self) -> Address<'_>;

    /// The file this item is written to.
    fn file(&self) -> StackFile;

    /// The blocks it lowers to, in order.
    fn blocks(&self) -> Vec<Block>;

    /// The value of `attribute` (the reference after the address: `["arn"]`,
    /// `[]` for a variable) as far as tfgen can know it before apply, with
    /// `stack` to resolve what this item's own values refer to.
    fn value(&self, _attribute: &[String], _stack: &Stack) -> Option<String> {
        None
    }

    /// How `tfgen adopt` imports it: every managed resource says (a test
    /// holds every profile to it); variables, data sources, outputs and
    /// settings have nothing to import.
    fn import(&self, _stack: &Stack) -> Option<Import> {
        None
    }

    /// Its names that no other environment may create where this one
    /// deploys (`validate` checks them across environments).
    fn unique_names(&self) -> Vec<UniqueName> {
        Vec::new()
    }

    /// Its policy documents.
    fn policies(&self) -> Vec<PolicyRef<'_>> {
        Vec::new()
    }

    /// The roles this item makes a service act as: a build's service role,
    /// a pipeline's role, an event target's role, and roles it hands on to
    /// another service. `lint` reads these to know who uses each role.
    fn role_uses(&self) -> Vec<RoleUse> {
        Vec::new()
    }

    /// `<address>.<attribute>` as a reference, for the items that refer to
    /// this one (`aws_iam_role.codebuild.arn`).
    fn reference_to(&self, attribute: &str) -> Expr {
        Expr::reference(&format!("{}.{attribute}", self.address()))
    }

    /// Whether `tfgen graph` draws it. Items every resource depends on
    /// (the account lookup) would only add noise.
    fn in_graph(&self) -> bool {
        true
    }

    /// The checkov checks it skips inline, with the reason
    /// (`#checkov:skip=ID:reason`), for the tests that hold checkov's
    /// report to what tfgen emitted.
    fn checkov_skips(&self) -> &[(&'static str, &'static str)] {
        &[]
    }

    /// Its own AWS rules (names, paths, limits). Policy documents are
    /// checked by `validate` from [`StackItem::policies`].
    fn check(&self, _checks: &mut Checks<'_>) {}
}

/// What every item gets for free: cloning behind a `Box` and downcasting
/// to its own type (tests and profiles edit items through it).
pub trait ItemObject {
    fn clone_item(&self) -> Box<dyn StackItem>;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: StackItem + Clone + 'static> ItemObject for T {
    fn clone_item(&self) -> Box<dyn StackItem> {
        Box::new(self.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl Clone for Box<dyn StackItem> {
    fn clone(&self) -> Self {
        self.clone_item()
    }
}

/// The whole stack for one environment: its items, in order.
#[derive(Debug, Clone)]
pub struct Stack {
    pub environment: String,
    pub profile: Profile,
    pub items: Vec<Box<dyn StackItem>>,
    /// The account the ARNs items compute name: [`PLACEHOLDER_ACCOUNT`],
    /// unless a command knows better (`adopt` marks where an ID names it).
    pub account: &'static str,
}

/// The provider the output is written for (the Terraform version it needs
/// is computed from what it uses: `model::features`).
pub const AWS_PROVIDER_SOURCE: &str = "hashicorp/aws";
pub const AWS_PROVIDER_VERSION: &str = "~> 5.0";

/// Account IDs are always 12 digits, so ARNs built with this placeholder have
/// their real length, which is what the size limits need.
pub const PLACEHOLDER_ACCOUNT: &str = "123456789012";

impl Stack {
    /// Builds the stack of an environment: its profile's items, with the
    /// variables it sets and the reference defaults for the rest (`env`
    /// defaults to the environment's name).
    pub fn build<'a>(input: impl Into<std::borrow::Cow<'a, StackInput>>) -> Stack {
        let input = input.into();
        let variables = VARIABLES
            .iter()
            .map(|spec| Variable::for_input(spec, &input))
            .collect();
        let mut items = input.profile.items(&input, variables);
        items.extend(moves(&items));
        Stack {
            environment: input.environment.clone(),
            profile: input.profile,
            items,
            account: PLACEHOLDER_ACCOUNT,
        }
    }

    /// The items of type `T`, in order.
    pub fn items_of<T: StackItem + 'static>(&self) -> impl Iterator<Item = &T> {
        self.items
            .iter()
            .filter_map(|item| item.as_any().downcast_ref::<T>())
    }

    /// The item of type `T` at `address` (`aws_iam_role.tf_mlops_role`).
    pub fn item<T: StackItem + 'static>(&self, address: &str) -> Option<&T> {
        self.items
            .iter()
            .filter(|item| item.address().to_string() == address)
            .find_map(|item| item.as_any().downcast_ref::<T>())
    }

    /// The item of type `T` at `address`, to change it.
    pub fn item_mut<T: StackItem + 'static>(&mut self, address: &str) -> Option<&mut T> {
        self.items
            .iter_mut()
            .filter(|item| item.address().to_string() == address)
            .find_map(|item| item.as_any_mut().downcast_mut::<T>())
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.items_of::<Variable>()
            .find(|variable| variable.spec.name == name)
    }

    /// The variables, in declaration order.
    pub fn variables(&self) -> impl Iterator<Item = &Variable> {
        self.items_of::<Variable>()
    }

    /// The files of the stack, in the order their first item appears.
    pub fn file_list(&self) -> Vec<StackFile> {
        let mut files: Vec<StackFile> = Vec::new();
        for item in &self.items {
            let file = item.file();
            if !files.contains(&file) {
                files.push(file);
            }
        }
        files
    }

    /// The blocks of one file.
    pub fn blocks(&self, file: StackFile) -> Vec<Block> {
        self.lowered()
            .into_iter()
            .find(|(have, _)| *have == file)
            .map(|(_, blocks)| blocks)
            .unwrap_or_default()
    }

    /// Every item lowered, file by file in the order their first item
    /// appears, with the terraform block's `required_version` the one the
    /// blocks need (`model::features`).
    fn lowered(&self) -> Vec<(StackFile, Vec<Block>)> {
        let files = self.file_list();
        let mut lowered: Vec<(StackFile, Vec<Block>)> =
            files.iter().map(|file| (*file, Vec::new())).collect();
        for item in &self.items {
            let file = item.file();
            let index = files
                .iter()
                .position(|have| *have == file)
                .expect("every item's file is listed");
            lowered[index].1.extend(item.blocks());
        }
        let version = crate::model::features::required_version(
            lowered.iter().flat_map(|(_, blocks)| blocks.iter()),
        );
        for (_, blocks) in &mut lowered {
            crate::model::features::set_required_version(blocks, &version);
        }
        lowered
    }

    /// The stack split into files, as `--out` and `out/` hold it.
    pub fn files(&self) -> Vec<(StackFile, Document)> {
        self.lowered()
            .into_iter()
            .map(|(file, blocks)| (file, Document::new(blocks)))
            .collect()
    }

    /// The whole stack as one document: a root module by itself.
    pub fn document(&self) -> Document {
        Document::new(
            self.lowered()
                .into_iter()
                .flat_map(|(_, blocks)| blocks)
                .collect(),
        )
    }

    /// Every policy document, for `validate` and `lint`: trust policies
    /// first, then identity policies, then resource policies, each in the
    /// order of their items.
    pub fn policies(&self) -> Vec<PolicyRef<'_>> {
        let mut policies: Vec<PolicyRef<'_>> =
            self.items.iter().flat_map(|item| item.policies()).collect();
        policies.sort_by_key(|policy| match policy.kind {
            PolicyKind::Trust => 0,
            PolicyKind::Identity => 1,
            PolicyKind::Resource => 2,
        });
        policies
    }

    /// Every role use the items declare, in item order, each with the role
    /// of the stack it names: matched by ARN or name, so a role named by
    /// `aws_iam_role.x.arn`, `.name` or a literal ARN is found alike.
    pub fn role_users(&self) -> Vec<RoleUser> {
        let roles: Vec<(Address, Option<String>, Option<String>)> = self
            .items_of::<resources::IamRole>()
            .map(|role| {
                let arn = role.value(&["arn".to_string()], self);
                let name = role.value(&["name".to_string()], self);
                (role.address(), arn, name)
            })
            .collect();
        self.items
            .iter()
            .flat_map(|item| {
                item.role_uses().into_iter().map(|role_use| {
                    let named = self.evaluate(&role_use.role);
                    let role = roles
                        .iter()
                        .find(|(_, arn, name)| named.is_some() && (named == *arn || named == *name))
                        .map(|(address, _, _)| address.clone().into_owned());
                    RoleUser {
                        user: item.address().into_owned(),
                        role,
                        role_use,
                    }
                })
            })
            .collect()
    }

    /// The concrete value of a reference, as far as tfgen can know it before
    /// anything is applied: the item it names answers for itself.
    pub fn resolve(&self, path: &[String]) -> Option<String> {
        self.items.iter().find_map(|item| {
            let attribute = item.address().strip(path)?;
            item.value(attribute, self)
        })
    }

    /// The region the provider creates resources in, for the ARNs items
    /// compute.
    pub fn region(&self) -> Option<String> {
        let provider = self.items_of::<resources::AwsProvider>().next()?;
        self.evaluate(&provider.region)
    }

    /// `arn:aws:<service>:<region>:<account>:<resource>` for a resource of this
    /// stack, with the placeholder account.
    pub fn arn(&self, service: &str, resource: &str) -> Option<String> {
        Some(format!(
            "arn:aws:{service}:{}:{}:{resource}",
            self.region()?,
            self.account
        ))
    }

    /// The value of an expression with every reference resolved, or `None`.
    pub fn evaluate(&self, expr: &Expr) -> Option<String> {
        expr.evaluate_string(&|path| self.resolve(path))
    }
}

/// The `moved` and `removed` blocks [`history`] has for these items: a
/// rename whose new address they have and old one they have not, a forget
/// whose replacement they have. None when nothing applies.
fn moves(items: &[Box<dyn StackItem>]) -> Option<Box<dyn StackItem>> {
    let addresses: std::collections::HashSet<String> = items
        .iter()
        .map(|item| item.address().to_string())
        .collect();
    let has = |address: &str| addresses.contains(address);
    let renames: Vec<history::Rename> = history::RENAMES
        .iter()
        .filter(|rename| has(rename.to) && !has(rename.from))
        .copied()
        .collect();
    let forgets: Vec<history::Forget> = history::FORGETS
        .iter()
        .filter(|forget| forget.applies(has))
        .copied()
        .collect();
    if renames.is_empty() && forgets.is_empty() {
        return None;
    }
    Some(Box::new(resources::Moves { renames, forgets }))
}

impl<'a> From<&'a StackInput> for std::borrow::Cow<'a, StackInput> {
    fn from(input: &'a StackInput) -> Self {
        std::borrow::Cow::Borrowed(input)
    }
}

impl From<StackInput> for std::borrow::Cow<'_, StackInput> {
    fn from(input: StackInput) -> Self {
        std::borrow::Cow::Owned(input)
    }
}
