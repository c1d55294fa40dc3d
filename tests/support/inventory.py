"""Print, as JSON on stdout, what exists in an AWS emulator (moto server).

Usage: python inventory.py ENDPOINT

The Rust test harness (tests/support/emulator.rs) runs this with the moto
venv's python, which already ships boto3, so the harness needs no AWS SDK of
its own. Only the resource kinds the generated stack creates are listed:
S3 buckets with their bucket-level configuration, customer-managed IAM roles
and policies, and role -> managed policy attachments. Policy documents are
returned parsed, so callers compare them as JSON values, not as strings.
"""

import json
import sys
from urllib.parse import unquote

import boto3
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


def main():
    (endpoint,) = sys.argv[1:]
    iam = client("iam", endpoint)
    role_map = roles(iam)
    inventory = {
        "s3_buckets": buckets(client("s3", endpoint)),
        "iam_roles": role_map,
        "iam_policies": policies(iam),
        "iam_role_policy_attachments": attachments(iam, role_map),
    }
    json.dump(inventory, sys.stdout, indent=2, sort_keys=True, default=str)
    print()


if __name__ == "__main__":
    main()
