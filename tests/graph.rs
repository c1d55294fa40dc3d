//! `tfgen graph`: the diagram on stdout, exit codes, bad input.

use crate::support::{project_root, tfgen};

#[test]
fn mermaid_is_the_default_and_dot_is_a_digraph() {
    let mermaid = tfgen(&["graph", "--env", "prod"])
        .in_dir(&project_root())
        .run()
        .expect(0);
    assert!(
        mermaid.stdout.starts_with("flowchart LR\n"),
        "{}",
        mermaid.stdout
    );
    assert!(mermaid.stdout.contains("[\"aws_iam_role.tf_mlops_role\"]"));
    assert_eq!(mermaid.stderr, "");
    let dot = tfgen(&["graph", "--env", "prod", "--format", "dot"])
        .in_dir(&project_root())
        .run()
        .expect(0);
    assert!(
        dot.stdout.starts_with("digraph tfgen {\n"),
        "{}",
        dot.stdout
    );
    assert!(dot.stdout.contains(
        "\"aws_iam_role_policy_attachment.tf_mlops_sagemaker_policy_attachment\" -> \"aws_iam_policy.tf_mlops_sagemaker_policy\" [label=\"policy_arn\"];"
    ));
}

#[test]
fn an_unknown_environment_or_format_is_exit_2() {
    let unknown = tfgen(&["graph", "--env", "qa"])
        .in_dir(&project_root())
        .run()
        .expect(2);
    assert_eq!(unknown.stdout, "");
    assert!(
        unknown
            .stderr
            .starts_with("tfgen: unknown environment \"qa\""),
        "{}",
        unknown.stderr
    );
    let format = tfgen(&["graph", "--format", "svg"])
        .in_dir(&project_root())
        .run()
        .expect(2);
    assert!(
        format.stderr.contains("invalid value 'svg'"),
        "{}",
        format.stderr
    );
}

#[test]
fn the_readme_shows_prods_pipeline_as_the_command_draws_it() {
    readme_diagram_is_the_graph_of("prod");
}

/// staging reads GitHub through a connection and notifies the approvers:
/// its diagram shows the connection and the topic.
#[test]
fn the_readme_shows_stagings_codeconnections_pipeline_as_the_command_draws_it() {
    let drawn = readme_diagram_is_the_graph_of("staging");
    for node in [
        "[\"aws_codestarconnections_connection.source\"]",
        "[\"aws_sns_topic.approval\"]",
        "[\"aws_sns_topic_subscription.approver_0\"]",
    ] {
        assert!(drawn.contains(node), "{node} in\n{drawn}");
    }
    assert!(!drawn.contains("aws_codecommit_repository"), "{drawn}");
}

fn readme_diagram_is_the_graph_of(environment: &str) -> String {
    let drawn = tfgen(&["graph", "--env", environment])
        .in_dir(&project_root())
        .run()
        .expect(0)
        .stdout;
    let readme = std::fs::read_to_string(project_root().join("README.md")).unwrap();
    let section = readme
        .split(&format!("## The pipeline of `{environment}`"))
        .nth(1)
        .unwrap_or_else(|| panic!("README has the section of {environment}'s pipeline"));
    let shown = section
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section holds a mermaid block");
    assert_eq!(
        shown, drawn,
        "README.md's diagram is stale: paste the output of `tfgen graph --env {environment}`"
    );
    drawn
}
