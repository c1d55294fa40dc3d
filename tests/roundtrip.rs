//! Property tests of the printers: for arbitrary values (strings with `${`,
//! `%{`, `$${`, quotes, backslashes, newlines, tabs, non-ASCII), the HCL
//! and the JSON output read back to the same model, the two agree, and the
//! HCL is `terraform fmt`-clean (checked for a sample, when terraform is
//! installed).

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use tfgen::config::{Config, Setting};
use tfgen::error::Origin;
use tfgen::model::{Block, Document, Expr, TemplatePart};
use tfgen::read::{normalize, parse};
use tfgen::render::{Format, render, with_header};
use tfgen::stack::{Stack, VARIABLES};

/// Text with the characters that break naive printers.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("${".to_string()),
        Just("%{".to_string()),
        Just("$${".to_string()),
        Just("%%{".to_string()),
        Just("$".to_string()),
        Just("}".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\t".to_string()),
        Just("é".to_string()),
        Just("日本".to_string()),
        Just("\u{1F600}".to_string()),
        Just("<&>".to_string()),
        Just("\u{7f}\u{1}".to_string()),
        "[a-zA-Z0-9 :/*.-]{1,6}",
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z_][A-Za-z0-9_]{0,8}",
        tricky_text().prop_filter("keys are not empty", |key| !key.is_empty()),
    ]
}

fn reference() -> impl Strategy<Value = Expr> {
    prop_oneof![
        Just(Expr::reference("var.env")),
        Just(Expr::reference("aws_s3_bucket.artifacts_bucket.arn")),
        Just(Expr::reference("local.account_id")),
    ]
}

fn scalar() -> impl Strategy<Value = Expr> {
    prop_oneof![
        tricky_text().prop_map(Expr::String),
        any::<bool>().prop_map(Expr::Bool),
        any::<i64>().prop_map(Expr::from),
        Just(Expr::Null),
        reference(),
        (tricky_text(), reference(), tricky_text()).prop_map(|(before, inner, after)| {
            let mut parts = Vec::new();
            if !before.is_empty() {
                parts.push(TemplatePart::Literal(before));
            }
            parts.push(TemplatePart::Interpolation(inner));
            if !after.is_empty() {
                parts.push(TemplatePart::Literal(after));
            }
            Expr::Template(parts)
        }),
    ]
}

fn expression() -> impl Strategy<Value = Expr> {
    scalar().prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Expr::List),
            proptest::collection::vec((key(), inner.clone()), 0..5).prop_map(|entries| {
                let mut seen = std::collections::HashSet::new();
                Expr::Object(
                    entries
                        .into_iter()
                        .filter(|(key, _)| seen.insert(key.clone()))
                        .collect(),
                )
            }),
            inner.prop_map(Expr::jsonencode),
        ]
    })
}

fn document() -> impl Strategy<Value = Document> {
    proptest::collection::vec(("[a-z][a-z0-9_]{0,10}", expression()), 1..6).prop_map(|attributes| {
        let mut seen = std::collections::HashSet::new();
        let mut locals = Block::new("locals", &[]);
        for (name, value) in attributes {
            if seen.insert(name.clone()) {
                locals = locals.attr(&name, value);
            }
        }
        Document::new(vec![locals])
    })
}

/// A stack whose eight variables take arbitrary values (unvalidated: the
/// printers must cope with anything).
fn stack_with(values: &[String]) -> Stack {
    let mut environment = Config::built_in().environment("prod").unwrap().clone();
    environment.settings = VARIABLES
        .iter()
        .zip(values)
        .map(|(variable, value)| Setting {
            name: variable.name.to_string(),
            value: value.clone(),
            origin: Origin::BuiltIn("test".into()),
        })
        .collect();
    Stack::build(&environment)
}

fn assert_round_trips(document: &Document) -> Result<(), TestCaseError> {
    let expected = normalize(document);
    let hcl = render(document, Format::Hcl);
    let json = render(document, Format::Json);
    let from_hcl =
        parse(&hcl, Format::Hcl).map_err(|error| TestCaseError::fail(format!("{error}\n{hcl}")))?;
    let from_json = parse(&json, Format::Json)
        .map_err(|error| TestCaseError::fail(format!("{error}\n{json}")))?;
    prop_assert_eq!(&normalize(&from_hcl), &expected, "HCL:\n{}", hcl);
    prop_assert_eq!(&normalize(&from_json), &expected, "JSON:\n{}", json);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_document_reads_back_from_both_formats(document in document()) {
        assert_round_trips(&document)?;
    }

    #[test]
    fn a_header_added_to_a_rendering_without_one_is_the_rendering_with_it(
        document in document(),
        empty in any::<bool>(),
        header in proptest::collection::vec(tricky_text(), 0..3),
    ) {
        let mut document = if empty { Document::default() } else { document };
        for format in Format::ALL {
            let headless = render(&document, format);
            document.header = header.clone();
            prop_assert_eq!(with_header(&headless, &header, format), render(&document, format));
            document.header.clear();
        }
    }

    #[test]
    fn any_variable_values_read_back_from_both_formats(values in proptest::collection::vec(tricky_text(), 8)) {
        assert_round_trips(&stack_with(&values).document())?;
    }
}

/// `terraform fmt` leaves the HCL output alone, for a fixed sample of
/// generated documents (terraform costs ~40 ms a run, so not every case).
#[test]
fn hcl_output_is_terraform_fmt_clean_for_a_sample() {
    if std::process::Command::new("terraform")
        .arg("version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: terraform not found: the terraform fmt sample did not run");
        return;
    }
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let directory = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for index in 0..40 {
        let document = document().new_tree(&mut runner).unwrap().current();
        let path = directory.path().join(format!("sample_{index}.tf"));
        let text = render(&document, Format::Hcl);
        std::fs::write(&path, &text).unwrap();
        files.push((path, text));
    }
    for index in 0..10 {
        let values: Vec<String> = proptest::collection::vec(tricky_text(), 8)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let path = directory.path().join(format!("stack_{index}.tf"));
        let text = render(&stack_with(&values).document(), Format::Hcl);
        std::fs::write(&path, &text).unwrap();
        files.push((path, text));
    }
    let output = std::process::Command::new("terraform")
        .args(["fmt", "-list=true", "-write=false"])
        .arg(directory.path())
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "terraform fmt failed:\n{stderr}");
    if let Some(first) = listed.lines().next() {
        let text = files
            .iter()
            .find(|(path, _)| {
                path.ends_with(first)
                    || first.ends_with(&*path.file_name().unwrap().to_string_lossy())
            })
            .map(|(_, text)| text.clone())
            .unwrap_or_default();
        let diff = std::process::Command::new("terraform")
            .args(["fmt", "-diff", "-write=false"])
            .arg(directory.path().join(first))
            .output()
            .unwrap();
        panic!(
            "terraform fmt would change {first}:\n{}\n--- file ---\n{text}",
            String::from_utf8_lossy(&diff.stdout)
        );
    }
}
