//! Criterion benchmarks: the real stack per environment, and synthetic
//! documents that show how rendering scales.
//!
//! tfgen runs on every editor save, pre-commit hook and CI job, so what
//! matters is that the real stack renders in microseconds (the process
//! start-up dominates; `bench/cli.sh` measures that) and that bigger
//! documents cost time in proportion to their size. The scale series render
//! 10 to 10,000 resources or policy statements; each size is measured twice,
//! once per item (`Throughput::Elements`: the time per item must stay flat)
//! and once per output byte (`Throughput::Bytes`: MB/s).
//!
//! Run with `cargo bench`; `bench/criterion-table.sh` summarises the saved
//! estimates. Timings default to 1 s of warm-up and 3 s of measurement per
//! benchmark (2-core machines); `cargo bench -- --measurement-time 10`
//! overrides them.

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use tfgen::config::Config;
use tfgen::generated;
use tfgen::model::{Block, Document, Expr};
use tfgen::policy::{PolicyDocument, Statement, many, one};
use tfgen::render::{render_hcl, render_json};
use tfgen::stack::Stack;
use tfgen::validate::build_valid;

/// The sizes of the scale series.
const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

/// The stack of each built-in environment (`dev` is the seed profile, `prod`
/// the hardened one): building, rendering each syntax, and the whole tree
/// that `tfgen check` and `tfgen render --all` produce.
fn stack(c: &mut Criterion) {
    let config = Config::built_in();
    let mut group = c.benchmark_group("stack");
    for environment in &config.environments {
        let name = environment.name.as_str();
        group.throughput(Throughput::Elements(1));
        group.bench_function(BenchmarkId::new("build", name), |b| {
            b.iter(|| Stack::build(black_box(environment)))
        });
        let document = Stack::build(environment).document();
        for (syntax, render) in [("hcl", render_hcl as Render), ("json", render_json)] {
            group.throughput(Throughput::Bytes(render(&document).len() as u64));
            group.bench_function(BenchmarkId::new(format!("render_{syntax}"), name), |b| {
                b.iter(|| render(black_box(&document)))
            });
            group.bench_function(
                BenchmarkId::new(format!("build_and_render_{syntax}"), name),
                |b| b.iter(|| render(&Stack::build(black_box(environment)).document())),
            );
        }
    }
    // Everything `tfgen check` does before it reads the disk: build and
    // validate every environment, render the headers and both syntaxes of
    // every file.
    let tree = || {
        let stacks = build_valid(&config, config.environments.iter().collect())
            .expect("the built-in environments are valid");
        generated::tree(&config, &stacks)
    };
    let bytes: usize = tree().iter().map(|file| file.contents.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    // About a millisecond an iteration: 100 samples would not fit in 3 s.
    group.sample_size(40);
    group.bench_function(BenchmarkId::new("validated_tree", "all"), |b| b.iter(tree));
    group.finish();
}

/// `n` S3 buckets, each with a template, a reference, a boolean and a tags
/// object: the shapes every resource has.
fn resources(n: usize) -> Document {
    Document::new(
        (0..n)
            .map(|i| {
                Block::new("resource", &["aws_s3_bucket", &format!("b{i}")])
                    .attr(
                        "bucket",
                        Expr::interpolated(&format!("artifacts-{i}-${{var.env}}")),
                    )
                    .attr("force_destroy", false)
                    .attr(
                        "tags",
                        Expr::object([
                            ("Name", Expr::from(format!("artifacts-{i}"))),
                            ("Environment", Expr::reference("var.env")),
                        ]),
                    )
            })
            .collect(),
    )
}

/// One managed policy of `n` statements, each with a list of actions and
/// one resource, as `jsonencode({...})` in an `aws_iam_policy`.
fn policy(n: usize) -> Document {
    let statements = (0..n)
        .map(|i| {
            Statement::allow()
                .action(many([
                    "s3:GetObject",
                    "s3:PutObject",
                    "s3:DeleteObject",
                    "s3:ListBucket",
                ]))
                .resource(one(&format!("arn:aws:s3:::bucket-{i}/*")))
        })
        .collect();
    let document = PolicyDocument::new(statements);
    Document::new(vec![
        Block::new("resource", &["aws_iam_policy", "policy"])
            .attr("name", "scale")
            .attr("policy", document.to_jsonencode()),
    ])
}

/// Builds a synthetic document of N items.
type Make = fn(usize) -> Document;
/// Renders a document in one syntax.
type Render = fn(&Document) -> String;

/// The scale series, each size measured per item and per output byte.
fn scale(c: &mut Criterion) {
    let series: [(&str, Make, Render); 4] = [
        ("resources_hcl", resources, render_hcl),
        ("resources_json", resources, render_json),
        ("policy_statements_hcl", policy, render_hcl),
        ("policy_statements_json", policy, render_json),
    ];
    for (unit, per_byte) in [("items", false), ("bytes", true)] {
        let mut group = c.benchmark_group(format!("scale_{unit}"));
        // 10,000 items take milliseconds: a fixed iteration count per sample
        // and fewer samples keep each benchmark within its 3 s.
        group.sampling_mode(SamplingMode::Flat);
        group.sample_size(30);
        for (name, make, render) in series {
            for n in SIZES {
                let document = make(n);
                group.throughput(if per_byte {
                    Throughput::Bytes(render(&document).len() as u64)
                } else {
                    Throughput::Elements(n as u64)
                });
                group.bench_with_input(BenchmarkId::new(name, n), &document, |b, document| {
                    b.iter(|| render(black_box(document)))
                });
            }
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = stack, scale
}
criterion_main!(benches);
