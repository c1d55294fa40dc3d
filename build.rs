//! Indexes `data/iam-catalogue.tsv`, the IAM catalogue `tfgen lint` reads,
//! into tables of byte offsets into that same text, written to
//! `$OUT_DIR/iam_catalogue.rs` for `src/lint/catalogue.rs` to compile in.
//!
//! Looking a service or an action up is then a binary search over numbers,
//! and nothing is parsed when tfgen starts or lints: the tables hold no
//! pointers, so the loader has nothing to relocate either. The data file
//! stays the one source of the catalogue (`scripts/iam-catalogue.sh` writes
//! it); this says where each thing is in it, works out each resource type's
//! ARN pattern as a wildcard pattern, and refuses a file whose lines or order
//! lint's searches could not rely on.

use std::fmt::Write as _;
use std::path::Path;

#[path = "src/lint/catalogue/tables.rs"]
mod tables;

use tables::{ActionRow, ResourceTypeRow, ServiceRow, Span};

const CATALOGUE: &str = "data/iam-catalogue.tsv";

fn main() {
    println!("cargo::rerun-if-changed={CATALOGUE}");
    let text =
        std::fs::read_to_string(CATALOGUE).unwrap_or_else(|error| panic!("{CATALOGUE}: {error}"));
    let tables = Tables::of(&text).unwrap_or_else(|problem| panic!("{CATALOGUE}: {problem}"));
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let path = Path::new(&out_dir).join("iam_catalogue.rs");
    std::fs::write(&path, tables.to_rust())
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
}

/// The tables, as `src/lint/catalogue/tables.rs` lays them out.
#[derive(Default)]
struct Tables {
    services: Vec<ServiceRow>,
    actions: Vec<ActionRow>,
    resource_types: Vec<ResourceTypeRow>,
    condition_keys: Vec<Span>,
    /// Every resource type's glob, one after the other.
    globs: String,
}

impl Tables {
    fn of(text: &str) -> Result<Tables, String> {
        if text.contains('\r') {
            return Err("lines end in \\r\\n; the offsets count \\n only".into());
        }
        let body = text.find("\n---\n").ok_or("no '---' line ends the index")? + 5;
        let mut tables = Tables::default();
        let mut previous: Option<&str> = None;
        for (number, line) in text[..body - 5].lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            let at = |problem: String| format!("line {}: {problem}", number + 1);
            let mut fields = line.split('\t');
            let (Some(prefix), Some(offset), Some(length)) =
                (fields.next(), fields.next(), fields.next())
            else {
                return Err(at(format!("{line:?} is not prefix, offset, length")));
            };
            if previous.is_some_and(|previous| previous >= prefix) {
                return Err(at(format!("{prefix} is out of order")));
            }
            previous = Some(prefix);
            let number = |field: &str| {
                field
                    .parse::<usize>()
                    .map_err(|error| at(error.to_string()))
            };
            let start = body + number(offset)?;
            let end = start + number(length)?;
            let section = text
                .get(start..end)
                .ok_or_else(|| at("past the end".into()))?;
            tables
                .service(text, prefix, start, section)
                .map_err(|problem| format!("service {prefix}: {problem}"))?;
        }
        Ok(tables)
    }

    /// One service's section, which starts at byte `start` of `text`.
    fn service(
        &mut self,
        text: &str,
        prefix: &str,
        start: usize,
        section: &str,
    ) -> Result<(), String> {
        let first = section.lines().next().unwrap_or_default();
        if first != format!("service\t{prefix}") {
            return Err(format!("its section starts {first:?}"));
        }
        let prefix_start = start + "service\t".len();
        let starts = (
            self.resource_types.len(),
            self.condition_keys.len(),
            self.actions.len(),
        );
        let mut line_start = start + first.len() + 1;
        for line in section.lines().skip(1) {
            let span = |from: usize, field: &str| -> Result<Span, String> {
                let from = line_start + from;
                Ok((offset(from)?, offset(from + field.len())?))
            };
            let mut fields = line.split('\t');
            match (fields.next(), fields.next(), fields.next()) {
                (Some("r"), Some(name), Some(arn)) => {
                    let glob_start = self.globs.len();
                    let glob = arn_glob(arn);
                    self.globs.push_str(&glob);
                    let (colons, literal_end) = glob_parts(&glob);
                    let glob_span = (offset(glob_start)?, offset(self.globs.len())?);
                    let name_span = span(2, name)?;
                    let arn_span = span(3 + name.len(), arn)?;
                    // Every offset within the glob fits when its length does.
                    short(glob.len())?;
                    let colons = colons.map(|colons| colons.map(|colon| colon as u16));
                    self.resource_types.push((
                        name_span,
                        arn_span,
                        glob_span,
                        colons,
                        literal_end as u16,
                    ));
                }
                (Some("c"), Some(key), _) => self.condition_keys.push(span(2, key)?),
                (Some("a"), Some(name), Some(level)) => {
                    if !["L", "R", "T", "W", "P"].contains(&level) {
                        // One byte, where the resource types' offset assumes it.
                        return Err(format!("{name} has access level {level:?}"));
                    }
                    let types = line.get(2 + name.len() + 3..).unwrap_or_default();
                    let name_length = u8::try_from(name.len())
                        .map_err(|_| format!("action {name} is over 255 bytes"))?;
                    let types_length = u16::try_from(types.len())
                        .map_err(|_| format!("action {name} has over 64 KiB of resource types"))?;
                    let (name_start, _) = span(2, name)?;
                    self.actions
                        .push((name_start, name_length, level.as_bytes()[0], types_length));
                }
                _ => return Err(format!("{line:?} is no r, c or a line")),
            }
            line_start += line.len() + 1;
        }
        // `Service::action` finds an action as AWS spells it by binary
        // search, and takes it for the one match ignoring case.
        let names: Vec<&str> = self.actions[starts.2..]
            .iter()
            .map(|&(start, length, _, _)| &text[start as usize..][..usize::from(length)])
            .collect();
        if let Some(pair) = names.windows(2).find(|pair| pair[0] >= pair[1]) {
            return Err(format!(
                "its actions are not sorted: {} before {}",
                pair[0], pair[1]
            ));
        }
        let mut lowercase: Vec<String> = names.iter().map(|name| name.to_lowercase()).collect();
        lowercase.sort_unstable();
        if let Some(pair) = lowercase.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(format!("two actions differ only in case: {}", pair[0]));
        }
        let range =
            |from: usize, to: usize| -> Result<Span, String> { Ok((offset(from)?, offset(to)?)) };
        self.services.push((
            (offset(prefix_start)?, offset(prefix_start + prefix.len())?),
            range(starts.0, self.resource_types.len())?,
            range(starts.1, self.condition_keys.len())?,
            range(starts.2, self.actions.len())?,
        ));
        Ok(())
    }

    fn to_rust(&self) -> String {
        let mut rust = String::from(
            "// @generated by build.rs from data/iam-catalogue.tsv: spans are byte\n\
             // offsets into that text (a glob's into GLOBS), ranges are rows of the\n\
             // other tables.\n\n",
        );
        let mut table = |name: &str, row: &str, rows: Vec<String>| {
            let _ = writeln!(rust, "static {name}: [{row}; {}] = [", rows.len());
            for line in rows.chunks(8) {
                let _ = writeln!(rust, "    {}", line.join(" "));
            }
            rust.push_str("];\n\n");
        };
        table(
            "SERVICES",
            "ServiceRow",
            self.services
                .iter()
                .map(|row| format!("{row:?},"))
                .collect(),
        );
        table(
            "ACTIONS",
            "ActionRow",
            self.actions
                .iter()
                .map(|(name, length, level, types)| {
                    format!("({name}, {length}, b'{}', {types}),", *level as char)
                })
                .collect(),
        );
        table(
            "RESOURCE_TYPES",
            "ResourceTypeRow",
            self.resource_types
                .iter()
                .map(|row| format!("{row:?},"))
                .collect(),
        );
        table(
            "CONDITION_KEYS",
            "Span",
            self.condition_keys
                .iter()
                .map(|row| format!("{row:?},"))
                .collect(),
        );
        let _ = writeln!(rust, "const GLOBS: &str = {:?};", self.globs);
        rust
    }
}

fn offset(value: usize) -> Result<u32, String> {
    u32::try_from(value).map_err(|_| format!("offset {value} does not fit in 32 bits"))
}

fn short(value: usize) -> Result<u16, String> {
    u16::try_from(value).map_err(|_| format!("an ARN pattern of {value} bytes"))
}

/// The ARN pattern with every `${Variable}` as a `*` wildcard.
fn arn_glob(arn: &str) -> String {
    let mut glob = String::with_capacity(arn.len());
    let mut rest = arn;
    while let Some(start) = rest.find("${") {
        glob.push_str(&rest[..start]);
        glob.push('*');
        rest = rest[start..]
            .find('}')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    glob.push_str(rest);
    glob
}

/// Where the first five parts of a glob end (`None` for fewer than six
/// parts), and where its resource part's literal start ends.
fn glob_parts(glob: &str) -> (Option<[usize; 5]>, usize) {
    let colons: Vec<usize> = glob.match_indices(':').map(|(at, _)| at).take(5).collect();
    let Ok(colons) = <[usize; 5]>::try_from(colons) else {
        return (None, 0);
    };
    let resource = &glob[colons[4] + 1..];
    let literal = resource.find(['*', '?']).unwrap_or(resource.len());
    (Some(colons), colons[4] + 1 + literal)
}
