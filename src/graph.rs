//! `tfgen graph`: the resources of a stack and the references between them
//! (which role each service runs as, which pipeline each rule starts), as a
//! Mermaid or Graphviz diagram a reader takes in before any HCL.
//!
//! The graph comes from the lowered blocks, not from per-type code: an edge
//! is a reference in one resource's arguments to another resource or data
//! source, labelled with the argument it sits in. References through
//! `local.*` are followed to what the local refers to. Variables, outputs
//! and the provider are left out: every resource uses them; so are items
//! that say so (`StackItem::in_graph`: the account lookup).

use std::fmt::Write as _;

use crate::model::{Block, BodyItem, Expr};
use crate::stack::{Address, Stack};

/// A node: a resource or data source, in the file it is written to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub address: String,
    pub file: &'static str,
}

/// `from` refers to `to` in its argument `via` (`service_role`, `policy`,
/// `stage.action.configuration`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub via: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// How a graph is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

impl GraphFormat {
    pub const ALL: [GraphFormat; 2] = [GraphFormat::Mermaid, GraphFormat::Dot];

    pub fn name(self) -> &'static str {
        match self {
            GraphFormat::Mermaid => "mermaid",
            GraphFormat::Dot => "dot",
        }
    }
}

impl Graph {
    /// The graph of a stack's resources and data sources.
    pub fn of(stack: &Stack) -> Graph {
        let mut graph = Graph::default();
        let mut addresses: Vec<Address> = Vec::new();
        for item in &stack.items {
            let address = item.address();
            if item.in_graph() && matches!(address, Address::Resource { .. } | Address::Data { .. })
            {
                graph.nodes.push(Node {
                    address: address.to_string(),
                    file: item.file().name(),
                });
                addresses.push(address);
            }
        }
        let locals: Vec<(String, Expr)> = stack
            .items
            .iter()
            .filter(|item| item.address() == Address::Locals)
            .flat_map(|item| item.blocks())
            .flat_map(|block| block.body.items)
            .filter_map(|body_item| match body_item {
                BodyItem::Attribute(attribute) => Some((attribute.name, attribute.value)),
                BodyItem::Block(_) | BodyItem::Comment(_) => None,
            })
            .collect();
        let node_of = |path: &[String]| {
            addresses
                .iter()
                .position(|address| address.strip(path).is_some())
        };
        for item in &stack.items {
            let Some(from) = addresses.iter().position(|a| *a == item.address()) else {
                continue;
            };
            for block in item.blocks() {
                let mut references = Vec::new();
                collect(&block, "", &mut references);
                for (via, path) in references {
                    for target in expand(&path, &locals, 0) {
                        if let Some(to) = node_of(&target)
                            && to != from
                        {
                            let edge = Edge {
                                from,
                                to,
                                via: via.clone(),
                            };
                            if !graph.edges.contains(&edge) {
                                graph.edges.push(edge);
                            }
                        }
                    }
                }
            }
        }
        graph.label_role_uses(stack, &addresses);
        graph
    }

    /// Edges from a resource to a role it makes a service act as say so
    /// (`runs as`, `hands to sagemaker`) instead of naming the argument:
    /// the items' own role-use declarations (`StackItem::role_uses`) say
    /// which references are roles in use.
    fn label_role_uses(&mut self, stack: &Stack, addresses: &[Address]) {
        let users = stack.role_users();
        let position = |address: &Address| addresses.iter().position(|a| a == address);
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for user in &users {
            let (Some(from), Some(to)) =
                (position(&user.user), user.role.as_ref().and_then(position))
            else {
                continue;
            };
            if !pairs.contains(&(from, to)) {
                pairs.push((from, to));
            }
        }
        for (from, to) in pairs {
            let mut uses: Vec<String> = Vec::new();
            for user in users.iter().filter(|user| {
                position(&user.user) == Some(from)
                    && user.role.as_ref().and_then(position) == Some(to)
            }) {
                let service = user.role_use.service.trim_end_matches(".amazonaws.com");
                let label = if user.role_use.handed_on {
                    format!("hands to {service}")
                } else {
                    "runs as".to_string()
                };
                if !uses.contains(&label) {
                    uses.push(label);
                }
            }
            // One edge per user and role, in the place of the first.
            let label = uses.join(", ");
            let mut labelled = false;
            self.edges.retain_mut(|edge| {
                if edge.from != from || edge.to != to {
                    return true;
                }
                if labelled {
                    return false;
                }
                edge.via = label.clone();
                labelled = true;
                true
            });
        }
    }

    /// The graph as text in `format`.
    pub fn render(&self, format: GraphFormat) -> String {
        match format {
            GraphFormat::Mermaid => self.mermaid(),
            GraphFormat::Dot => self.dot(),
        }
    }

    /// A Mermaid flowchart, one subgraph per file.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        for (file, members) in self.by_file() {
            let _ = writeln!(out, "  subgraph {file}");
            for index in members {
                let _ = writeln!(out, "    n{index}[\"{}\"]", self.nodes[index].address);
            }
            out.push_str("  end\n");
        }
        for edge in &self.edges {
            let _ = writeln!(out, "  n{} -->|{}| n{}", edge.from, edge.via, edge.to);
        }
        out
    }

    /// A Graphviz digraph, one cluster per file.
    pub fn dot(&self) -> String {
        let mut out = String::from("digraph tfgen {\n  rankdir=LR;\n  node [shape=box];\n");
        for (file, members) in self.by_file() {
            let _ = writeln!(
                out,
                "  subgraph \"cluster_{file}\" {{\n    label=\"{file}\";"
            );
            for index in members {
                let _ = writeln!(out, "    \"{}\";", self.nodes[index].address);
            }
            out.push_str("  }\n");
        }
        for edge in &self.edges {
            let _ = writeln!(
                out,
                "  \"{}\" -> \"{}\" [label=\"{}\"];",
                self.nodes[edge.from].address, self.nodes[edge.to].address, edge.via
            );
        }
        out.push_str("}\n");
        out
    }

    /// The node indices of each file, files in order of first appearance.
    fn by_file(&self) -> Vec<(&'static str, Vec<usize>)> {
        let mut files: Vec<(&'static str, Vec<usize>)> = Vec::new();
        for (index, node) in self.nodes.iter().enumerate() {
            match files.iter_mut().find(|(file, _)| *file == node.file) {
                Some((_, members)) => members.push(index),
                None => files.push((node.file, vec![index])),
            }
        }
        files
    }
}

/// Every reference in a block's arguments, with the argument's path
/// (`environment.environment_variable.value` is named by its first part
/// and the nested blocks: `environment.environment_variable`).
fn collect(block: &Block, prefix: &str, found: &mut Vec<(String, Vec<String>)>) {
    for item in &block.body.items {
        match item {
            BodyItem::Attribute(attribute) => {
                let via = if prefix.is_empty() {
                    attribute.name.clone()
                } else {
                    format!("{prefix}.{}", attribute.name)
                };
                for path in attribute.value.references() {
                    found.push((via.clone(), path.to_vec()));
                }
            }
            BodyItem::Block(nested) => {
                let prefix = if prefix.is_empty() {
                    nested.kind.clone()
                } else {
                    format!("{prefix}.{}", nested.kind)
                };
                collect(nested, &prefix, found);
            }
            BodyItem::Comment(_) => {}
        }
    }
}

/// A reference, or what the local it names refers to (followed a few
/// levels: locals may name locals).
fn expand(path: &[String], locals: &[(String, Expr)], depth: usize) -> Vec<Vec<String>> {
    match path {
        [root, name, ..] if root == "local" && depth < 8 => locals
            .iter()
            .filter(|(local, _)| local == name)
            .flat_map(|(_, value)| value.references())
            .flat_map(|inner| expand(inner, locals, depth + 1))
            .collect(),
        _ => vec![path.to_vec()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::stack::StackItem;

    fn graph(name: &str) -> Graph {
        let config = Config::built_in();
        Graph::of(&Stack::build(config.environment(name).unwrap()))
    }

    fn edges(graph: &Graph) -> Vec<String> {
        graph
            .edges
            .iter()
            .map(|edge| {
                format!(
                    "{} -{}-> {}",
                    graph.nodes[edge.from].address, edge.via, graph.nodes[edge.to].address
                )
            })
            .collect()
    }

    #[test]
    fn seed_links_the_attachment_to_its_role_and_policy() {
        assert_eq!(
            edges(&graph("dev")),
            [
                "aws_iam_role_policy_attachment.tf_mlops_policy_attachment -role-> aws_iam_role.tf_mlops_role",
                "aws_iam_role_policy_attachment.tf_mlops_policy_attachment -policy_arn-> aws_iam_policy.tf_mlops_policy",
            ]
        );
    }

    #[test]
    fn hardened_leaves_the_account_lookup_out() {
        let graph = graph("prod");
        assert!(
            graph
                .nodes
                .iter()
                .all(|node| !node.address.starts_with("data."))
        );
        let edges = edges(&graph);
        assert!(
            edges.contains(
                &"aws_iam_policy.tf_mlops_policy -policy-> aws_iam_role.tf_mlops_role".into()
            ),
            "{edges:#?}"
        );
        assert!(edges.contains(
            &"aws_s3_bucket_versioning.artifacts_bucket -bucket-> aws_s3_bucket.artifacts_bucket"
                .into()
        ));
    }

    #[test]
    fn mermaid_and_dot_name_every_node_and_edge() {
        let graph = graph("dev");
        let mermaid = graph.mermaid();
        assert!(
            mermaid.starts_with(
                "flowchart LR\n  subgraph s3\n    n0[\"aws_s3_bucket.artifacts_bucket\"]\n  end\n"
            ),
            "{mermaid}"
        );
        assert!(mermaid.contains("  n3 -->|role| n1\n"), "{mermaid}");
        let dot = graph.dot();
        assert!(dot.contains("  \"aws_iam_role_policy_attachment.tf_mlops_policy_attachment\" -> \"aws_iam_role.tf_mlops_role\" [label=\"role\"];\n"), "{dot}");
        assert!(dot.ends_with("}\n"));
    }

    #[test]
    fn a_build_runs_as_its_role_and_hands_another_to_sagemaker() {
        use crate::stack::resources::{
            BuildEnvironment, BuildspecSource, CodeBuildProject, IamRole,
        };
        let mut stack = crate::stack::Stack::build(
            crate::config::Config::built_in()
                .environment("dev")
                .unwrap(),
        );
        let role = stack
            .item::<IamRole>("aws_iam_role.tf_mlops_role")
            .unwrap()
            .reference_to("arn");
        stack.items.push(Box::new(CodeBuildProject {
            label: "build".into(),
            name: Expr::from("sagemaker-build"),
            description: "test build".into(),
            service_role: role.clone(),
            build_timeout: 60,
            environment: BuildEnvironment {
                compute_type: "BUILD_GENERAL1_SMALL",
                image: "aws/codebuild/amazonlinux2-x86_64-standard:3.0",
                variables: vec![("SAGEMAKER_PIPELINE_ROLE_ARN", role)],
            },
            buildspec: BuildspecSource::File("buildspec.yml"),
            encryption_key: None,
            log_group: None,
            tags: Vec::new(),
            spelled_out: None,
        }));
        let graph = Graph::of(&stack);
        let to_role: Vec<String> = edges(&graph)
            .into_iter()
            .filter(|edge| edge.starts_with("aws_codebuild_project.build "))
            .collect();
        assert_eq!(
            to_role,
            [
                "aws_codebuild_project.build -runs as, hands to sagemaker-> aws_iam_role.tf_mlops_role"
            ]
        );
    }
}
