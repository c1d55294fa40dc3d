"""Probe one moto defect, with or without its patch from moto_launcher.py.

Usage: python moto_patch_probe.py PATCH_NAME unpatched|patched

Runs the scenario the patch is about against moto in-process (`mock_aws`,
the same responses and models the server runs) and prints one JSON object:
`{"patch", "mode", "holds", "observed"}`. `holds` means:
- unpatched: moto still has the defect, so the patch is still needed;
- patched: moto now answers as the AWS API does.
tests/emulator_patches.rs runs both modes for every patch and asserts
`holds`, so the day a moto upgrade fixes a defect, the unpatched probe fails
and says which patch to delete. Responses are checked as the raw JSON bodies
the provider decodes, not as boto3 parses them (boto3 accepts timestamps as
strings or numbers, the Go SDK only numbers).
"""

import json
import os
import sys

import boto3
from botocore.exceptions import ClientError
from moto import mock_aws

import moto_launcher

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/probe"


def client(service):
    return boto3.client(
        service,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def raw_bodies(api):
    """The raw JSON bodies of `api`'s responses, by operation name."""
    bodies = {}

    def keep(operation_model, response_dict, **_):
        body = response_dict.get("body") or b"{}"
        bodies[operation_model.name] = json.loads(body) if body.strip() else {}

    api.meta.events.register("before-parse.*.*", keep)
    return bodies


def error_code(call):
    try:
        call()
    except ClientError as err:
        return err.response["Error"]["Code"]
    return None


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def role(services):
    client("iam").create_role(
        RoleName="probe",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Principal": {"Service": services},
                    }
                ],
            }
        ),
    )


def two_stage_pipeline(name="probe"):
    action = {
        "name": "Source",
        "actionTypeId": {
            "category": "Source",
            "owner": "AWS",
            "provider": "CodeCommit",
            "version": "1",
        },
        "configuration": {"RepositoryName": "r", "BranchName": "main"},
        "outputArtifacts": [{"name": "source"}],
    }
    build = {
        "name": "Build",
        "actionTypeId": {
            "category": "Build",
            "owner": "AWS",
            "provider": "CodeBuild",
            "version": "1",
        },
        "configuration": {"ProjectName": "p"},
        "inputArtifacts": [{"name": "source"}],
    }
    return {
        "name": name,
        "roleArn": ROLE_ARN,
        "artifactStore": {"type": "S3", "location": "bucket"},
        "stages": [
            {"name": "Source", "actions": [action]},
            {"name": "Build", "actions": [build]},
        ],
    }


def codebuild_project(api, source, artifacts, name="probe"):
    return error_code(
        lambda: api.create_project(
            name=name,
            source=source,
            artifacts=artifacts,
            environment={
                "type": "LINUX_CONTAINER",
                "image": "aws/codebuild/amazonlinux2-x86_64-standard:3.0",
                "computeType": "BUILD_GENERAL1_SMALL",
            },
            serviceRole=ROLE_ARN,
        )
    )


# Each probe: (scenario, defect(observed), aws(observed)).


def probe_codecommit_dates():
    api = client("codecommit")
    bodies = raw_bodies(api)
    api.create_repository(repositoryName="probe")
    api.get_repository(repositoryName="probe")
    return {
        operation: {
            key: bodies[operation]["repositoryMetadata"][key]
            for key in ("creationDate", "lastModifiedDate")
        }
        for operation in ("CreateRepository", "GetRepository")
    }


def probe_codecommit_tags():
    api = client("codecommit")
    arn = api.create_repository(repositoryName="probe", tags={"team": "ml"})[
        "repositoryMetadata"
    ]["Arn"]
    observed = {"list_after_create": None, "after_tag_untag": None, "unknown_arn": None}
    try:
        observed["list_after_create"] = api.list_tags_for_resource(resourceArn=arn)[
            "tags"
        ]
        api.tag_resource(resourceArn=arn, tags={"stage": "dev"})
        api.untag_resource(resourceArn=arn, tagKeys=["team"])
        observed["after_tag_untag"] = api.list_tags_for_resource(resourceArn=arn)[
            "tags"
        ]
    except ClientError as err:
        observed["error"] = err.response["Error"]["Code"]
    except NotImplementedError as err:  # how moto's dispatcher says "no such action"
        observed["error"] = type(err).__name__
        return observed
    observed["unknown_arn"] = error_code(
        lambda: api.list_tags_for_resource(resourceArn=arn + "-gone")
    )
    return observed


def probe_codecommit_list():
    api = client("codecommit")
    for name in ("zeta", "alpha"):
        api.create_repository(repositoryName=name)
    try:
        listed = api.list_repositories()["repositories"]
        return {"names": [repository["repositoryName"] for repository in listed]}
    except ClientError as err:
        return {"error": err.response["Error"]["Code"]}
    except NotImplementedError as err:  # how moto's dispatcher says "no such action"
        return {"error": type(err).__name__}


def probe_codecommit_updates():
    api = client("codecommit")
    api.create_repository(repositoryName="probe", repositoryDescription="old")

    def attempt(call):
        try:
            call()
        except NotImplementedError as err:
            return f"NotImplementedError: {err}"
        except ClientError as err:
            return err.response["Error"]["Code"]
        return None

    observed = {
        "description": attempt(
            lambda: api.update_repository_description(
                repositoryName="probe", repositoryDescription="new"
            )
        )
    }
    if observed["description"] is not None:
        return observed
    api.create_repository(repositoryName="taken")
    observed.update(
        {
            "described": api.get_repository(repositoryName="probe")["repositoryMetadata"][
                "repositoryDescription"
            ],
            "rename": attempt(lambda: api.update_repository_name(oldName="probe", newName="renamed")),
            "renamed_arn": api.get_repository(repositoryName="renamed")["repositoryMetadata"]["Arn"],
            "old_name": attempt(lambda: api.get_repository(repositoryName="probe")),
            "onto_taken": attempt(lambda: api.update_repository_name(oldName="renamed", newName="taken")),
            "unknown": attempt(
                lambda: api.update_repository_description(repositoryName="nothing", repositoryDescription="x")
            ),
        }
    )
    return observed


def probe_codepipeline_dates():
    # A single service as a string: the form moto's trust check understands.
    role("codepipeline.amazonaws.com")
    api = client("codepipeline")
    bodies = raw_bodies(api)
    api.create_pipeline(pipeline=two_stage_pipeline())
    api.get_pipeline(name="probe")
    api.list_pipelines()
    metadata = bodies["GetPipeline"]["metadata"]
    listed = bodies["ListPipelines"]["pipelines"][0]
    return {
        "get_created": metadata["created"],
        "get_updated": metadata["updated"],
        "list_created": listed["created"],
        "list_updated": listed["updated"],
    }


def probe_codepipeline_trust():
    role(["codebuild.amazonaws.com", "codepipeline.amazonaws.com"])
    api = client("codepipeline")
    listed = error_code(lambda: api.create_pipeline(pipeline=two_stage_pipeline()))
    client("iam").delete_role(RoleName="probe")
    role(["codebuild.amazonaws.com", "events.amazonaws.com"])
    untrusted = error_code(
        lambda: api.create_pipeline(pipeline=two_stage_pipeline("untrusted"))
    )
    return {"service_list_with_codepipeline": listed, "without_codepipeline": untrusted}


def probe_codebuild_location():
    api = client("codebuild")
    return {
        "codepipeline": codebuild_project(
            api, {"type": "CODEPIPELINE", "buildspec": "b.yml"}, {"type": "CODEPIPELINE"}
        ),
        "s3_artifacts_without_location": codebuild_project(
            api,
            {"type": "CODECOMMIT", "location": "https://example.com/r"},
            {"type": "S3"},
            name="s3",
        ),
    }


def probe_codebuild_delete_by_arn():
    api = client("codebuild")
    codebuild_project(
        api,
        {"type": "CODECOMMIT", "location": "https://example.com/r"},
        {"type": "NO_ARTIFACTS"},
    )
    arn = f"arn:aws:codebuild:{REGION}:{ACCOUNT}:project/probe"
    api.delete_project(name=arn)
    return {"projects_after_delete": api.list_projects()["projects"]}


def probe_codebuild_encryption_key():
    api = client("codebuild")
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/00000000-0000-0000-0000-000000000000"
    source = {"type": "CODEPIPELINE", "location": "-"}
    artifacts = {"type": "CODEPIPELINE", "location": "-"}
    environment = {
        "type": "LINUX_CONTAINER",
        "image": "aws/codebuild/amazonlinux2-x86_64-standard:3.0",
        "computeType": "BUILD_GENERAL1_SMALL",
    }
    for name, extra in (("keyed", {"encryptionKey": key}), ("default", {})):
        api.create_project(
            name=name,
            source=source,
            artifacts=artifacts,
            environment=environment,
            serviceRole=ROLE_ARN,
            **extra,
        )
    projects = api.batch_get_projects(names=["keyed", "default"])["projects"]
    return {
        "given": key,
        **{project["name"]: project["encryptionKey"] for project in projects},
    }


def probe_iam_service_specific_credentials():
    api = client("iam")
    api.create_user(UserName="mirror")

    def create(service="codecommit.amazonaws.com", user="mirror"):
        return api.create_service_specific_credential(UserName=user, ServiceName=service)

    try:
        created = create()["ServiceSpecificCredential"]
    except NotImplementedError as err:
        return {"create": f"NotImplementedError: {err}"}
    second = create()["ServiceSpecificCredential"]
    listed = api.list_service_specific_credentials(UserName="mirror")[
        "ServiceSpecificCredentials"
    ]
    observed = {
        "create": None,
        "service_user_name": created["ServiceUserName"],
        "password_on_create": bool(created.get("ServicePassword")),
        "listed_ids": sorted(c["ServiceSpecificCredentialId"] for c in listed),
        "created_ids": sorted(
            c["ServiceSpecificCredentialId"] for c in (created, second)
        ),
        "password_listed": any("ServicePassword" in c for c in listed),
        "third": error_code(create),
        "other_service": error_code(lambda: create("s3.amazonaws.com")),
        "unknown_user": error_code(lambda: create(user="nobody")),
        "delete_user_with_credentials": error_code(
            lambda: api.delete_user(UserName="mirror")
        ),
    }
    for credential in (created, second):
        api.delete_service_specific_credential(
            UserName="mirror",
            ServiceSpecificCredentialId=credential["ServiceSpecificCredentialId"],
        )
    observed["after_delete"] = api.list_service_specific_credentials(
        UserName="mirror"
    )["ServiceSpecificCredentials"]
    return observed


def probe_codestar_connections():
    api = client("codestar-connections")
    observed = {}
    try:
        created = api.create_connection(
            ConnectionName="probe", ProviderType="GitHub", Tags=[{"Key": "team", "Value": "ml"}]
        )
    except ClientError as err:
        observed["create"] = f"{err.response['Error']['Code']}: {err.response['Error']['Message']}"
        return observed
    arn = created["ConnectionArn"]
    observed["create"] = None
    observed["arn"] = arn
    observed["connection"] = api.get_connection(ConnectionArn=arn)["Connection"]
    observed["tags"] = api.list_tags_for_resource(ResourceArn=arn)["Tags"]
    api.tag_resource(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    api.untag_resource(ResourceArn=arn, TagKeys=["team"])
    observed["after_tag_untag"] = api.list_tags_for_resource(ResourceArn=arn)["Tags"]
    observed["listed"] = [
        c["ConnectionArn"] for c in api.list_connections(ProviderTypeFilter="GitHub")["Connections"]
    ]
    observed["listed_gitlab"] = api.list_connections(ProviderTypeFilter="GitLab")["Connections"]
    observed["bad_provider"] = error_code(
        lambda: api.create_connection(ConnectionName="x", ProviderType="Gitea")
    )
    observed["neither"] = error_code(lambda: api.create_connection(ConnectionName="x"))
    api.delete_connection(ConnectionArn=arn)
    observed["after_delete"] = error_code(lambda: api.get_connection(ConnectionArn=arn))
    return observed


def connection_as_aws(o):
    prefix = f"arn:aws:codestar-connections:{REGION}:{ACCOUNT}:connection/"
    arn = o.get("arn") or ""
    connection = o.get("connection") or {}
    return (
        o["create"] is None
        and arn.startswith(prefix)
        and len(arn) - len(prefix) == 36
        and connection
        == {
            "ConnectionName": "probe",
            "ConnectionArn": arn,
            "ProviderType": "GitHub",
            "OwnerAccountId": ACCOUNT,
            "ConnectionStatus": "PENDING",
        }
        and o["tags"] == [{"Key": "team", "Value": "ml"}]
        and o["after_tag_untag"] == [{"Key": "stage", "Value": "dev"}]
        and o["listed"] == [arn]
        and o["listed_gitlab"] == []
        and o["bad_provider"] == "ValidationException"
        and o["neither"] == "InvalidInputException"
        and o["after_delete"] == "ResourceNotFoundException"
    )


def numbers(observed):
    values = [v for group in observed.values() for v in group.values()]
    return all(is_number(v) for v in values)


def strings(observed):
    values = [v for group in observed.values() for v in group.values()]
    return all(isinstance(v, str) for v in values)


PROBES = {
    "codecommit_repository_dates_are_strings": (
        probe_codecommit_dates,
        strings,
        numbers,
    ),
    "codecommit_has_no_tagging": (
        probe_codecommit_tags,
        lambda o: o.get("error") is not None or o["list_after_create"] != {"team": "ml"},
        lambda o: o["list_after_create"] == {"team": "ml"}
        and o["after_tag_untag"] == {"stage": "dev"}
        and o["unknown_arn"] == "RepositoryDoesNotExistException",
    ),
    "codecommit_has_no_list_repositories": (
        probe_codecommit_list,
        lambda o: "error" in o,
        lambda o: o.get("names") == ["alpha", "zeta"],
    ),
    "codecommit_has_no_repository_updates": (
        probe_codecommit_updates,
        lambda o: str(o["description"]).startswith("NotImplementedError"),
        lambda o: o["description"] is None
        and o["described"] == "new"
        and o["rename"] is None
        and o["renamed_arn"] == f"arn:aws:codecommit:{REGION}:{ACCOUNT}:renamed"
        and o["old_name"] == "RepositoryDoesNotExistException"
        and o["onto_taken"] == "RepositoryNameExistsException"
        and o["unknown"] == "RepositoryDoesNotExistException",
    ),
    "codepipeline_metadata_dates_are_strings": (
        probe_codepipeline_dates,
        lambda o: all(isinstance(v, str) for v in o.values()),
        lambda o: all(is_number(v) for v in o.values()),
    ),
    "codepipeline_trust_reads_service_as_string": (
        probe_codepipeline_trust,
        lambda o: o["service_list_with_codepipeline"] == "InvalidStructureException",
        lambda o: o["service_list_with_codepipeline"] is None
        and o["without_codepipeline"] == "InvalidStructureException",
    ),
    "codebuild_requires_location_for_codepipeline": (
        probe_codebuild_location,
        lambda o: o["codepipeline"] == "InvalidInputException",
        lambda o: o["codepipeline"] is None
        and o["s3_artifacts_without_location"] == "InvalidInputException",
    ),
    "codebuild_delete_project_ignores_arn": (
        probe_codebuild_delete_by_arn,
        lambda o: o["projects_after_delete"] == ["probe"],
        lambda o: o["projects_after_delete"] == [],
    ),
    "codebuild_ignores_encryption_key": (
        probe_codebuild_encryption_key,
        lambda o: o["keyed"] != o["given"],
        lambda o: o["keyed"] == o["given"]
        and o["default"] == f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/aws/s3",
    ),
    "iam_has_no_service_specific_credentials": (
        probe_iam_service_specific_credentials,
        lambda o: str(o["create"]).startswith("NotImplementedError"),
        lambda o: o["create"] is None
        and o["service_user_name"] == f"mirror-at-{ACCOUNT}"
        and o["password_on_create"]
        and not o["password_listed"]
        and o["listed_ids"] == o["created_ids"]
        and o["third"] == "LimitExceeded"
        and o["other_service"] == "NotSupportedService"
        and o["unknown_user"] == "NoSuchEntity"
        and o["delete_user_with_credentials"] == "DeleteConflict"
        and o["after_delete"] == [],
    ),
    "codestar_connections_not_implemented": (
        probe_codestar_connections,
        lambda o: str(o["create"]).endswith("Not yet implemented"),
        connection_as_aws,
    ),
}


def main():
    name, mode = sys.argv[1:]
    if set(PROBES) != set(moto_launcher.PATCHES):
        sys.exit("every patch in moto_launcher.PATCHES needs exactly one probe here")
    scenario, defect, aws = PROBES[name]
    if mode == "patched":
        moto_launcher.PATCHES[name]()
    elif mode != "unpatched":
        sys.exit(f"mode must be unpatched or patched, not {mode!r}")
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    with mock_aws():
        observed = scenario()
    holds = defect(observed) if mode == "unpatched" else aws(observed)
    json.dump(
        {"patch": name, "mode": mode, "holds": bool(holds), "observed": observed},
        sys.stdout,
        default=str,
    )
    print()


if __name__ == "__main__":
    main()
