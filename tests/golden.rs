//! Golden tests: the rendered output against the user's reference files
//! (semantically) and against the committed `out/` tree (byte for byte).
//!
//! Re-bless the byte goldens with `cargo run -- render --all` (the `out/`
//! tree is the golden set); never edit `fixtures/reference/`.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use similar::TextDiff;
use tfgen::config::Config;
use tfgen::render::{Format, render};
use tfgen::stack::Stack;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A unified diff for a failure message.
fn unified(expected: &str, actual: &str, what: &str) -> String {
    TextDiff::from_lines(expected, actual)
        .unified_diff()
        .header(&format!("{what} (expected)"), &format!("{what} (actual)"))
        .to_string()
}

/// Variables and resources of an HCL text, as JSON values: templates kept as
/// their source text, references as `${...}`, `jsonencode(x)` evaluated to x.
fn hcl_meaning(text: &str) -> Value {
    let body = hcl::parse(text).expect("HCL parses");
    let mut meaning = Map::new();
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels().iter().map(|label| label.as_str()).collect();
        let kind = block.identifier();
        if kind != "variable" && kind != "resource" {
            continue;
        }
        let mut attributes = Map::new();
        for attribute in block.body().attributes() {
            attributes.insert(attribute.key().to_string(), hcl_value(attribute.expr()));
        }
        meaning.insert(
            format!("{kind}.{}", labels.join(".")),
            Value::Object(attributes),
        );
    }
    Value::Object(meaning)
}

fn hcl_value(expr: &hcl::Expression) -> Value {
    use hcl::Expression as E;
    match expr {
        E::Null => Value::Null,
        E::Bool(flag) => Value::Bool(*flag),
        E::Number(number) => serde_json::to_value(number).unwrap(),
        E::String(text) => Value::String(text.clone()),
        E::Array(items) => Value::Array(items.iter().map(hcl_value).collect()),
        E::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(key, value)| {
                    let key = match key {
                        hcl::ObjectKey::Identifier(ident) => ident.to_string(),
                        hcl::ObjectKey::Expression(E::String(text)) => text.clone(),
                        other => panic!("unexpected object key {other:?}"),
                    };
                    (key, hcl_value(value))
                })
                .collect(),
        ),
        E::TemplateExpr(template) => match template.as_ref() {
            hcl::TemplateExpr::QuotedString(raw) => Value::String(raw.clone()),
            other => panic!("unexpected heredoc {other:?}"),
        },
        E::Variable(variable) => Value::String(format!("${{{}}}", variable.as_str())),
        E::Traversal(traversal) => {
            let mut path = match &traversal.expr {
                E::Variable(variable) => variable.as_str().to_string(),
                other => panic!("unexpected traversal root {other:?}"),
            };
            for operator in &traversal.operators {
                match operator {
                    hcl::expr::TraversalOperator::GetAttr(name) => {
                        path.push('.');
                        path.push_str(name.as_str());
                    }
                    other => panic!("unexpected traversal {other:?}"),
                }
            }
            Value::String(format!("${{{path}}}"))
        }
        E::FuncCall(call) if call.name.name.as_str() == "jsonencode" => hcl_value(&call.args[0]),
        E::Parenthesis(inner) => hcl_value(inner),
        other => panic!("unexpected expression {other:?}"),
    }
}

/// The same view of a Terraform JSON document: policies are JSON strings,
/// decoded back into values.
fn json_meaning(text: &str) -> Value {
    let document: Value = serde_json::from_str(text).expect("JSON parses");
    let mut meaning = Map::new();
    for (name, body) in document["variable"].as_object().into_iter().flatten() {
        meaning.insert(format!("variable.{name}"), body.clone());
    }
    for (kind, resources) in document["resource"].as_object().into_iter().flatten() {
        for (name, body) in resources.as_object().unwrap() {
            let mut body = body.as_object().unwrap().clone();
            for key in ["policy", "assume_role_policy"] {
                if let Some(Value::String(encoded)) = body.get(key) {
                    let decoded = serde_json::from_str(encoded).expect("policy is JSON");
                    body.insert(key.to_string(), decoded);
                }
            }
            meaning.insert(format!("resource.{kind}.{name}"), Value::Object(body));
        }
    }
    Value::Object(meaning)
}

fn reference_meaning() -> Value {
    let mut text = String::new();
    for file in ["variables.tf", "s3.tf", "iam_roles.tf"] {
        text.push_str(
            &std::fs::read_to_string(root().join("fixtures/reference").join(file)).unwrap(),
        );
        text.push('\n');
    }
    hcl_meaning(&text)
}

fn dev_seed() -> Stack {
    let config = Config::built_in();
    Stack::build(config.environment("dev").unwrap())
}

fn assert_same_meaning(expected: &Value, actual: &Value, what: &str) {
    if expected != actual {
        let expected = serde_json::to_string_pretty(expected).unwrap();
        let actual = serde_json::to_string_pretty(actual).unwrap();
        panic!(
            "{what} differs from the reference:\n{}",
            unified(&expected, &actual, what)
        );
    }
}

#[test]
fn seed_hcl_means_the_reference() {
    let rendered = render(&dev_seed().document(), Format::Hcl);
    assert_same_meaning(
        &reference_meaning(),
        &hcl_meaning(&rendered),
        "dev/seed HCL",
    );
}

#[test]
fn seed_json_means_the_reference() {
    let rendered = render(&dev_seed().document(), Format::Json);
    assert_same_meaning(
        &reference_meaning(),
        &json_meaning(&rendered),
        "dev/seed JSON",
    );
}

#[test]
fn reference_view_covers_every_variable_and_resource() {
    // Guards the comparison itself: it must see all 8 variables and the 4
    // resources, and the 23 statements of the policy.
    let meaning = reference_meaning();
    let object = meaning.as_object().unwrap();
    assert_eq!(
        object
            .keys()
            .filter(|key| key.starts_with("variable."))
            .count(),
        8
    );
    assert_eq!(
        object
            .keys()
            .filter(|key| key.starts_with("resource."))
            .count(),
        4
    );
    let statements = &meaning["resource.aws_iam_policy.tf_mlops_policy"]["policy"]["Statement"];
    assert_eq!(statements.as_array().unwrap().len(), 23);
    assert_eq!(
        statements[2]["Resource"],
        serde_json::json!(["arn:aws:s3:::*", "arn:aws:s3:::*"])
    );
}

/// The committed `out/` tree equals what the model renders now, byte for
/// byte. Re-bless with `cargo run -- render --all`.
#[test]
fn out_tree_matches_the_model() {
    // Parsed under its relative name, as the binary sees it from the
    // repository root: the headers name it.
    let bytes = std::fs::read(root().join("tfgen.hcl")).unwrap();
    let config = Config::parse(Path::new("tfgen.hcl"), &bytes).unwrap();
    let stacks =
        tfgen::validate::build_valid(&config, config.environments.iter().collect()).unwrap();
    let expected = tfgen::generated::tree(&config, &stacks);
    let mut failures = String::new();
    for file in &expected {
        let path = root().join("out").join(&file.path);
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        if actual != file.contents {
            failures.push_str(&unified(
                &actual,
                &file.contents,
                &format!("out/{}", file.path.display()),
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "out/ drifted from the model; re-bless with `cargo run -- render --all`:\n{failures}"
    );
}

/// Lines removed and added between two texts.
fn changed_lines(old: &str, new: &str) -> (usize, usize) {
    let diff = TextDiff::from_lines(old, new);
    let mut removed = 0;
    let mut added = 0;
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Delete => removed += 1,
            similar::ChangeTag::Insert => added += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    (removed, added)
}

#[test]
fn a_one_action_change_is_a_one_line_diff() {
    use tfgen::model::Expr;
    use tfgen::policy::Values;
    let before = dev_seed();
    let old = render(&before.document(), Format::Hcl);
    let edit = |index: usize, change: &dyn Fn(&mut Vec<Expr>)| {
        let mut stack = before.clone();
        let policy: &mut tfgen::stack::resources::IamPolicy =
            stack.item_mut("aws_iam_policy.tf_mlops_policy").unwrap();
        let action = policy.document.statements[index].action.as_mut().unwrap();
        match &mut action.values {
            Values::Many(items) => change(items),
            Values::One(_) => panic!("statement {index} has a single action"),
        }
        render(&stack.document(), Format::Hcl)
    };
    // Long lists are one item per line: adding, removing or renaming an
    // action touches exactly one line.
    let added = edit(0, &|items| {
        items.push(Expr::from("codecommit:GetRepository"))
    });
    assert_eq!(changed_lines(&old, &added), (0, 1), "{added}");
    let removed = edit(0, &|items| {
        items.remove(2);
    });
    assert_eq!(changed_lines(&old, &removed), (1, 0));
    let renamed = edit(9, &|items| {
        items[0] = Expr::from("cloudformation:CreateUploadBucket")
    });
    assert_eq!(changed_lines(&old, &renamed), (1, 1));
    // A short list that still fits on its line changes that one line.
    let short = edit(1, &|items| items.push(Expr::from("iam:GetRole")));
    assert_eq!(changed_lines(&old, &short), (1, 1));
    assert!(
        short.contains("        Action   = [\"iam:PassRole\", \"iam:GetRole\"]\n"),
        "{short}"
    );
}

#[test]
fn template_introducers_in_values_stay_text() {
    let config = Config::parse(
        Path::new("tfgen.hcl"),
        b"environment \"dev\" {\n  variables = { repository_branch = \"a$${b}%%{c}\" }\n}\n",
    )
    .unwrap();
    let stack = Stack::build(config.environment("dev").unwrap());
    let hcl = render(&stack.document(), Format::Hcl);
    assert!(hcl.contains("default     = \"a$${b}%%{c}\""), "{hcl}");
    let json: Value = serde_json::from_str(&render(&stack.document(), Format::Json)).unwrap();
    // A variable default is literal in Terraform's JSON syntax.
    assert_eq!(
        json["variable"]["repository_branch"]["default"],
        "a${b}%{c}"
    );
}
