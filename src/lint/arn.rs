//! ARN parsing: the parts of `arn:partition:service:region:account:resource`.

use super::search::find_byte;

/// An ARN split into its parts; `resource` keeps any further colons.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Arn<'a> {
    pub(super) partition: &'a str,
    pub(super) service: &'a str,
    pub(super) region: &'a str,
    pub(super) account: &'a str,
    pub(super) resource: &'a str,
}

impl<'a> Arn<'a> {
    /// The resource type: the resource part up to its first `/` or `:`.
    /// `None` when there is no separator (services whose resources are bare
    /// names) or the type holds a wildcard, which cannot be judged.
    pub(super) fn resource_type(&self) -> Option<&'a str> {
        let end = self.resource.find(['/', ':'])?;
        let written = &self.resource[..end];
        (!written.contains(['*', '?'])).then_some(written)
    }

    pub(super) fn with_resource_type(&self, resource_type: &str) -> String {
        let rest = self
            .resource
            .find(['/', ':'])
            .map_or("", |end| &self.resource[end..]);
        format!(
            "arn:{}:{}:{}:{}:{resource_type}{rest}",
            self.partition, self.service, self.region, self.account
        )
    }
}

/// Parses `arn:partition:service:region:account:resource`; the error says
/// what is wrong, to follow the quoted value.
pub(super) fn parse_arn(value: &str) -> Result<Arn<'_>, String> {
    let (parts, count) = colon_parts(value);
    if parts[0] != "arn" {
        return Err(
            "is neither \"*\" nor an ARN (arn:partition:service:region:account:resource)".into(),
        );
    }
    if count < 6 {
        return Err(format!(
            "has {count} colon-separated parts; an ARN has at least 6 \
             (arn:partition:service:region:account:resource)"
        ));
    }
    let arn = Arn {
        partition: parts[1],
        service: parts[2],
        region: parts[3],
        account: parts[4],
        resource: parts[5],
    };
    for (name, part) in [
        ("partition", arn.partition),
        ("service", arn.service),
        ("resource", arn.resource),
    ] {
        if part.is_empty() {
            return Err(format!("has an empty {name}"));
        }
    }
    Ok(arn)
}

/// The first six colon-separated parts of `text` (the sixth keeps any
/// further colons) and how many there are, as `splitn(6, ':')` gives them;
/// the missing ones are empty. Split by bytes: lint splits every ARN of
/// every statement, and a `char` search costs more than these short parts.
pub(super) fn colon_parts(text: &str) -> ([&str; 6], usize) {
    let mut parts = [""; 6];
    let mut start = 0;
    for (count, slot) in parts.iter_mut().enumerate() {
        match find_byte(&text.as_bytes()[start..], b':') {
            Some(colon) if count < 5 => {
                *slot = &text[start..start + colon];
                start += colon + 1;
            }
            _ => {
                *slot = &text[start..];
                return (parts, count + 1);
            }
        }
    }
    unreachable!("the sixth part takes the rest")
}

/// A short ARN completed with `*` parts, when its partition and service
/// are there: `arn:aws:logs:*` becomes `arn:aws:logs:*:*:*`.
pub(super) fn padded_arn(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split(':').collect();
    let named = parts.len() >= 3 && parts[0] == "arn" && !parts[1].is_empty();
    if !named || parts[2].is_empty() || parts.len() >= 6 {
        return None;
    }
    let mut padded = parts.clone();
    padded.resize(6, "*");
    Some(padded.join(":"))
}
