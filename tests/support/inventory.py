"""Print, as JSON on stdout, what exists in an AWS emulator (moto server).

Usage: python inventory.py ENDPOINT

The Rust test harness (tests/support/emulator.rs) runs this with the moto
venv's python, which already ships boto3, so the harness needs no AWS SDK of
its own. Only the resource kinds the generated stack creates are listed:
S3 buckets with their bucket-level configuration, customer-managed IAM roles
and policies, role -> managed policy attachments, IAM users (with their
groups, policies and Git credentials) and groups, and the MLOps pipeline's
CodeCommit repositories, CodeBuild projects, CodePipelines, EventBridge rules
with their targets, customer-managed KMS keys and CloudWatch log groups. Policy documents and event
patterns are returned parsed, so callers compare them as JSON values, not as
strings. The emulator must run with moto_launcher.py's patches (CodeCommit's
ListRepositories and tags exist only there).
"""

import json
import sys
from urllib.parse import unquote

import boto3
import yaml
from botocore.config import Config
from botocore.exceptions import ClientError

# Error codes meaning "this bucket has no such configuration": reported as null.
ABSENT = {
    "NoSuchBucketPolicy",
    "NoSuchLifecycleConfiguration",
    "NoSuchPublicAccessBlockConfiguration",
    "NoSuchTagSet",
    "OwnershipControlsNotFoundError",
    "ServerSideEncryptionConfigurationNotFoundError",
}


def client(service, endpoint):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
    )


def document(doc):
    """IAM documents arrive as dicts (boto3 decodes them) or URL-encoded JSON."""
    if isinstance(doc, str):
        return json.loads(unquote(doc))
    return doc


def optional(call, key):
    try:
        response = call()
    except ClientError as err:
        if err.response["Error"]["Code"] in ABSENT:
            return None
        raise
    return response.get(key)


def buckets(s3):
    result = {}
    for bucket in s3.list_buckets()["Buckets"]:
        name = bucket["Name"]
        versioning = s3.get_bucket_versioning(Bucket=name)
        policy = optional(lambda: s3.get_bucket_policy(Bucket=name), "Policy")
        tags = optional(lambda: s3.get_bucket_tagging(Bucket=name), "TagSet")
        result[name] = {
            "region": s3.get_bucket_location(Bucket=name).get("LocationConstraint")
            or "us-east-1",
            "versioning": versioning.get("Status"),
            "mfa_delete": versioning.get("MFADelete"),
            "encryption": optional(
                lambda: s3.get_bucket_encryption(Bucket=name),
                "ServerSideEncryptionConfiguration",
            ),
            "public_access_block": optional(
                lambda: s3.get_public_access_block(Bucket=name),
                "PublicAccessBlockConfiguration",
            ),
            "ownership_controls": optional(
                lambda: s3.get_bucket_ownership_controls(Bucket=name),
                "OwnershipControls",
            ),
            "policy": json.loads(policy) if policy else None,
            "lifecycle_rules": optional(
                lambda: s3.get_bucket_lifecycle_configuration(Bucket=name), "Rules"
            ),
            "tags": {t["Key"]: t["Value"] for t in tags} if tags else {},
        }
    return result


def roles(iam):
    result = {}
    for page in iam.get_paginator("list_roles").paginate():
        for listed in page["Roles"]:
            name = listed["RoleName"]
            role = iam.get_role(RoleName=name)["Role"]
            result[name] = {
                "arn": role["Arn"],
                "path": role["Path"],
                "description": role.get("Description"),
                "assume_role_policy": document(role["AssumeRolePolicyDocument"]),
                "max_session_duration": role.get("MaxSessionDuration"),
                "tags": {t["Key"]: t["Value"] for t in role.get("Tags", [])},
                "inline_policies": sorted(
                    inline
                    for page in iam.get_paginator("list_role_policies").paginate(
                        RoleName=name
                    )
                    for inline in page["PolicyNames"]
                ),
            }
    return result


def policies(iam):
    result = {}
    # Scope=Local: moto preloads every AWS-managed policy; only ours matter.
    for page in iam.get_paginator("list_policies").paginate(Scope="Local"):
        for listed in page["Policies"]:
            policy = iam.get_policy(PolicyArn=listed["Arn"])["Policy"]
            version = iam.get_policy_version(
                PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"]
            )["PolicyVersion"]
            result[policy["PolicyName"]] = {
                "arn": policy["Arn"],
                "path": policy["Path"],
                "description": policy.get("Description"),
                "document": document(version["Document"]),
                "tags": {t["Key"]: t["Value"] for t in policy.get("Tags", [])},
            }
    return result


def attachments(iam, role_names):
    result = []
    for role in sorted(role_names):
        for page in iam.get_paginator("list_attached_role_policies").paginate(
            RoleName=role
        ):
            for attached in page["AttachedPolicies"]:
                result.append({"role": role, "policy_arn": attached["PolicyArn"]})
    return result


def users(iam):
    """IAM users, each with its groups, attached policies and Git
    credentials (service, Git user name, status: the password is AWS's to
    show once)."""
    result = {}
    for page in iam.get_paginator("list_users").paginate():
        for listed in page["Users"]:
            name = listed["UserName"]
            result[name] = {
                "arn": listed["Arn"],
                "path": listed["Path"],
                "groups": sorted(
                    group["GroupName"]
                    for page in iam.get_paginator("list_groups_for_user").paginate(
                        UserName=name
                    )
                    for group in page["Groups"]
                ),
                "attached_policies": sorted(
                    attached["PolicyArn"]
                    for attached in iam.list_attached_user_policies(UserName=name)[
                        "AttachedPolicies"
                    ]
                ),
                "service_specific_credentials": [
                    {
                        "service_name": credential["ServiceName"],
                        "service_user_name": credential["ServiceUserName"],
                        "status": credential["Status"],
                    }
                    for credential in iam.list_service_specific_credentials(
                        UserName=name
                    )["ServiceSpecificCredentials"]
                ],
            }
    return result


def groups(iam):
    """IAM groups, each with its members and attached policies."""
    result = {}
    for page in iam.get_paginator("list_groups").paginate():
        for listed in page["Groups"]:
            name = listed["GroupName"]
            group = iam.get_group(GroupName=name)
            result[name] = {
                "arn": listed["Arn"],
                "path": listed["Path"],
                "users": sorted(user["UserName"] for user in group["Users"]),
                "attached_policies": sorted(
                    attached["PolicyArn"]
                    for attached in iam.list_attached_group_policies(GroupName=name)[
                        "AttachedPolicies"
                    ]
                ),
            }
    return result


def repositories(codecommit):
    result = {}
    for listed in codecommit.list_repositories()["repositories"]:
        name = listed["repositoryName"]
        repository = codecommit.get_repository(repositoryName=name)[
            "repositoryMetadata"
        ]
        result[name] = {
            "arn": repository["Arn"],
            "description": repository.get("repositoryDescription"),
            "default_branch": repository.get("defaultBranch"),
            "tags": codecommit.list_tags_for_resource(resourceArn=repository["Arn"])[
                "tags"
            ],
        }
    return result


def parsed_buildspec(text):
    try:
        parsed = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return None
    return parsed if isinstance(parsed, dict) else None


def log_groups(logs):
    result = {}
    for page in logs.get_paginator("describe_log_groups").paginate():
        for group in page["logGroups"]:
            result[group["logGroupName"]] = {
                "arn": group.get("arn"),
                "retention_in_days": group.get("retentionInDays"),
                "kms_key_id": group.get("kmsKeyId"),
            }
    return result


def projects(codebuild):
    names = codebuild.list_projects()["projects"]
    if not names:
        return {}
    result = {}
    for project in codebuild.batch_get_projects(names=names)["projects"]:
        environment = project["environment"]
        result[project["name"]] = {
            "arn": project["arn"],
            "description": project.get("description"),
            "service_role": project["serviceRole"],
            "encryption_key": project.get("encryptionKey"),
            "source": project["source"],
            "buildspec": project["source"].get("buildspec"),
            # An inline buildspec (yamlencode) parsed, to compare as a value.
            "buildspec_parsed": parsed_buildspec(project["source"].get("buildspec")),
            "artifacts": project["artifacts"],
            "environment": {
                "type": environment["type"],
                "image": environment["image"],
                "compute_type": environment["computeType"],
                "privileged_mode": environment.get("privilegedMode"),
                "variables": {
                    variable["name"]: {
                        "value": variable["value"],
                        "type": variable.get("type", "PLAINTEXT"),
                    }
                    for variable in environment.get("environmentVariables", [])
                },
            },
            "timeout_in_minutes": project.get("timeoutInMinutes"),
            "logs_config": project.get("logsConfig"),
            "tags": {t["key"]: t["value"] for t in project.get("tags") or []},
        }
    return result


def pipelines(codepipeline):
    result = {}
    for listed in codepipeline.list_pipelines()["pipelines"]:
        answer = codepipeline.get_pipeline(name=listed["name"])
        pipeline = answer["pipeline"]
        arn = answer["metadata"]["pipelineArn"]
        result[pipeline["name"]] = {
            "arn": arn,
            "role_arn": pipeline["roleArn"],
            "artifact_store": pipeline.get("artifactStore"),
            "pipeline_type": pipeline.get("pipelineType"),
            "triggers": pipeline.get("triggers", []),
            "stages": [
                {
                    "name": stage["name"],
                    "actions": [
                        {
                            "name": action["name"],
                            "category": action["actionTypeId"]["category"],
                            "owner": action["actionTypeId"]["owner"],
                            "provider": action["actionTypeId"]["provider"],
                            "version": action["actionTypeId"]["version"],
                            "run_order": action.get("runOrder"),
                            "role_arn": action.get("roleArn"),
                            "configuration": action.get("configuration", {}),
                            "input_artifacts": [
                                a["name"] for a in action.get("inputArtifacts", [])
                            ],
                            "output_artifacts": [
                                a["name"] for a in action.get("outputArtifacts", [])
                            ],
                        }
                        for action in stage["actions"]
                    ],
                }
                for stage in pipeline["stages"]
            ],
            "tags": {
                t["key"]: t["value"]
                for t in codepipeline.list_tags_for_resource(resourceArn=arn)["tags"]
            },
        }
    return result


def event_rules(events):
    result = {}
    for page in events.get_paginator("list_rules").paginate():
        for rule in page["Rules"]:
            name = rule["Name"]
            pattern = rule.get("EventPattern")
            result[name] = {
                "arn": rule["Arn"],
                "description": rule.get("Description"),
                "state": rule.get("State"),
                "event_pattern": json.loads(pattern) if pattern else None,
                "schedule_expression": rule.get("ScheduleExpression"),
                "role_arn": rule.get("RoleArn"),
                "targets": [
                    {
                        "id": target["Id"],
                        "arn": target["Arn"],
                        "role_arn": target.get("RoleArn"),
                        "input": target.get("Input"),
                    }
                    for target in events.list_targets_by_rule(Rule=name)["Targets"]
                ],
                "tags": {
                    t["Key"]: t["Value"]
                    for t in events.list_tags_for_resource(ResourceARN=rule["Arn"])[
                        "Tags"
                    ]
                },
            }
    return result


def kms_keys(kms):
    aliases = {}
    for page in kms.get_paginator("list_aliases").paginate():
        for alias in page["Aliases"]:
            if "TargetKeyId" in alias and not alias["AliasName"].startswith(
                "alias/aws/"
            ):
                aliases.setdefault(alias["TargetKeyId"], []).append(alias["AliasName"])
    result = {}
    for page in kms.get_paginator("list_keys").paginate():
        for listed in page["Keys"]:
            key_id = listed["KeyId"]
            key = kms.describe_key(KeyId=key_id)["KeyMetadata"]
            # AWS-managed keys (aws/s3 ...) are not the stack's; pending-deletion
            # keys are what `destroy` leaves: KMS keys are never deleted at once.
            if key.get("KeyManager") != "CUSTOMER":
                continue
            result[key_id] = {
                "arn": key["Arn"],
                "state": key["KeyState"],
                "description": key.get("Description"),
                "aliases": sorted(aliases.get(key_id, [])),
                "rotation": kms.get_key_rotation_status(KeyId=key_id)[
                    "KeyRotationEnabled"
                ]
                if key["KeyState"] == "Enabled"
                else None,
                "policy": json.loads(
                    kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
                ),
            }
    return result


def connections(api):
    result = {}
    for listed in api.list_connections()["Connections"]:
        arn = listed["ConnectionArn"]
        connection = api.get_connection(ConnectionArn=arn)["Connection"]
        result[connection["ConnectionName"]] = {
            "arn": arn,
            "provider_type": connection["ProviderType"],
            "status": connection["ConnectionStatus"],
            "tags": {
                t["Key"]: t["Value"] for t in api.list_tags_for_resource(ResourceArn=arn)["Tags"]
            },
        }
    return result


def topics(sns):
    result = {}
    for listed in sns.list_topics()["Topics"]:
        arn = listed["TopicArn"]
        attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        subscriptions = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        result[arn.rsplit(":", 1)[-1]] = {
            "arn": arn,
            "kms_master_key_id": attributes.get("KmsMasterKeyId"),
            "policy": json.loads(attributes["Policy"]) if attributes.get("Policy") else None,
            "subscriptions": sorted(
                ({"protocol": s["Protocol"], "endpoint": s["Endpoint"]} for s in subscriptions),
                key=lambda s: (s["protocol"], s["endpoint"]),
            ),
        }
    return result


def main():
    (endpoint,) = sys.argv[1:]
    iam = client("iam", endpoint)
    role_map = roles(iam)
    inventory = {
        "s3_buckets": buckets(client("s3", endpoint)),
        "iam_roles": role_map,
        "iam_policies": policies(iam),
        "iam_role_policy_attachments": attachments(iam, role_map),
        "iam_users": users(iam),
        "iam_groups": groups(iam),
        "codecommit_repositories": repositories(client("codecommit", endpoint)),
        "codebuild_projects": projects(client("codebuild", endpoint)),
        "codepipelines": pipelines(client("codepipeline", endpoint)),
        "event_rules": event_rules(client("events", endpoint)),
        "kms_keys": kms_keys(client("kms", endpoint)),
        "log_groups": log_groups(client("logs", endpoint)),
        "codestar_connections": connections(client("codestar-connections", endpoint)),
        "sns_topics": topics(client("sns", endpoint)),
    }
    json.dump(inventory, sys.stdout, indent=2, sort_keys=True, default=str)
    print()


if __name__ == "__main__":
    main()
