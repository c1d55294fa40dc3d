//! The layout of the tables `build.rs` writes from `data/iam-catalogue.tsv`
//! and `lint::catalogue` reads, in one place for both. The tables hold only
//! numbers: offsets into the catalogue's text, which tfgen includes as it
//! is, and ranges of each other's rows.

/// A piece of the catalogue's text (or of `GLOBS`) by byte offsets, or a
/// range of a table's rows.
pub type Span = (u32, u32);

/// `(prefix, resource types, condition keys, actions)`: the prefix's span,
/// then ranges of `RESOURCE_TYPES`, `CONDITION_KEYS` and `ACTIONS`.
pub type ServiceRow = (Span, Span, Span, Span);

/// `(name start, name length, access level code, resource types length)`:
/// the resource types, tab-separated as the catalogue writes them, start
/// three bytes after the name (a tab, the level's one-byte code, a tab).
/// Eight bytes for each of some twenty thousand actions.
pub type ActionRow = (u32, u8, u8, u16);

/// `(name, ARN pattern, glob, colons, literal end)`: the glob is the ARN
/// pattern with every `${Variable}` as a `*` wildcard, a span of `GLOBS`;
/// the colons end its first five parts (`None` for fewer than six parts)
/// and the literal end is where its resource part's start before any
/// wildcard ends (`model-package/`), both counted from the glob's start.
pub type ResourceTypeRow = (Span, Span, Span, Option<[u16; 5]>, u16);
