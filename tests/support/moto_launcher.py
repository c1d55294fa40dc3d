"""Start moto's server with the few corrections the AWS provider needs.

Usage: python moto_launcher.py [moto_server arguments, e.g. -H 127.0.0.1 -p 5000]

moto 5.2.5 departs from the AWS API in ways that stop hashicorp/aws 5.100.0
on CodeCommit, CodePipeline, CodeBuild, IAM and CodeStar Connections (or, for ListRepositories, stop the
harness reading back what was applied). Rather than bend the generated
Terraform around the emulator (it must stay exactly what a user applies), the
test harness (tests/support/emulator.rs) starts moto through this file, which
monkeypatches moto's models and responses at import time and then runs moto's
own server entry point.

One patch per defect, each a function in PATCHES named after the defect, with
a comment saying what moto does and what AWS does. Every patch has two probes
in moto_patch_probe.py, run by tests/emulator_patches.rs: one on unpatched moto
asserting the defect is still there (so the test fails, and tells us to delete
the patch, the day moto is fixed) and one on patched moto asserting AWS's
behaviour. No moto code is copied here: each patch wraps or adds to moto.
"""

import functools
import json
import sys
import types

from moto.core.utils import unix_time


def codecommit_repository_dates_are_strings():
    """CodeCommit CreateRepository/GetRepository: moto returns creationDate and
    lastModifiedDate as ISO-8601 strings; the AWS JSON protocol sends
    timestamps as epoch seconds (numbers), and the provider's decoder fails
    with "expected CreationDate to be a JSON Number, got string instead"."""
    from moto.codecommit import models

    original_init = models.CodeCommit.__init__

    @functools.wraps(original_init)
    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        now = unix_time()
        self.repository_metadata["creationDate"] = now
        self.repository_metadata["lastModifiedDate"] = now

    models.CodeCommit.__init__ = init


def codecommit_has_no_tagging():
    """CodeCommit: moto ignores CreateRepository's `tags` and has no
    ListTagsForResource, TagResource or UntagResource; the provider reads a
    repository's tags with ListTagsForResource after every create and refresh
    (and tags through TagResource on update). AWS keeps tags per repository
    ARN and answers an unknown ARN with RepositoryDoesNotExistException."""
    from moto.codecommit import responses
    from moto.codecommit.exceptions import RepositoryDoesNotExistException

    def repository_by_arn(backend, arn):
        for repository in backend.repositories.values():
            if repository.repository_metadata["Arn"] == arn:
                return repository
        raise RepositoryDoesNotExistException(arn.rsplit(":", 1)[-1])

    original_create = responses.CodeCommitResponse.create_repository

    @functools.wraps(original_create)
    def create_repository(self):
        body = original_create(self)
        name = self._get_param("repositoryName")
        repository = self.codecommit_backend.repositories[name]
        repository.tags = dict(self._get_param("tags") or {})
        return body

    def list_tags_for_resource(self):
        backend = self.codecommit_backend
        repository = repository_by_arn(backend, self._get_param("resourceArn"))
        return json.dumps({"tags": getattr(repository, "tags", {})})

    def tag_resource(self):
        backend = self.codecommit_backend
        repository = repository_by_arn(backend, self._get_param("resourceArn"))
        tags = getattr(repository, "tags", {})
        tags.update(self._get_param("tags") or {})
        repository.tags = tags
        return "{}"

    def untag_resource(self):
        backend = self.codecommit_backend
        repository = repository_by_arn(backend, self._get_param("resourceArn"))
        tags = getattr(repository, "tags", {})
        for key in self._get_param("tagKeys") or []:
            tags.pop(key, None)
        repository.tags = tags
        return "{}"

    responses.CodeCommitResponse.create_repository = create_repository
    responses.CodeCommitResponse.list_tags_for_resource = list_tags_for_resource
    responses.CodeCommitResponse.tag_resource = tag_resource
    responses.CodeCommitResponse.untag_resource = untag_resource


def codecommit_has_no_list_repositories():
    """CodeCommit ListRepositories: moto does not implement it (HTTP 500). The
    provider never calls it, but the test harness (inventory.py) lists what
    exists through it, as it does for every other service, to catch both a
    missing repository and one that `destroy` left behind. AWS returns
    `{"repositories": [{"repositoryName", "repositoryId"}]}`, sorted by name by
    default."""
    from moto.codecommit import responses

    def list_repositories(self):
        repositories = sorted(
            self.codecommit_backend.repositories.values(),
            key=lambda repository: repository.repository_metadata["repositoryName"],
        )
        listed = [
            {
                "repositoryName": repository.repository_metadata["repositoryName"],
                "repositoryId": repository.repository_metadata["repositoryId"],
            }
            for repository in repositories
        ]
        return json.dumps({"repositories": listed})

    responses.CodeCommitResponse.list_repositories = list_repositories


def codecommit_has_no_repository_updates():
    """CodeCommit UpdateRepositoryDescription and UpdateRepositoryName: moto
    implements neither (HTTP 500), so the provider cannot change a
    repository's description or name in place, as it does on AWS (both
    keep the repository, its code and its ARN's account and region). AWS
    answers an unknown repository with RepositoryDoesNotExistException and a
    name taken with RepositoryNameExistsException, and returns an empty body
    on success."""
    from moto.codecommit import responses
    from moto.codecommit.exceptions import (
        RepositoryDoesNotExistException,
        RepositoryNameExistsException,
    )

    def update_repository_description(self):
        name = self._get_param("repositoryName")
        repository = self.codecommit_backend.repositories.get(name)
        if repository is None:
            raise RepositoryDoesNotExistException(name)
        metadata = repository.repository_metadata
        metadata["repositoryDescription"] = self._get_param("repositoryDescription") or ""
        metadata["lastModifiedDate"] = unix_time()
        return "{}"

    def update_repository_name(self):
        old = self._get_param("oldName")
        new = self._get_param("newName")
        repositories = self.codecommit_backend.repositories
        if old not in repositories:
            raise RepositoryDoesNotExistException(old)
        if new in repositories:
            raise RepositoryNameExistsException(new)
        repository = repositories.pop(old)
        metadata = repository.repository_metadata
        metadata["repositoryName"] = new
        metadata["Arn"] = metadata["Arn"].rsplit(":", 1)[0] + ":" + new
        for key in ("cloneUrlHttp", "cloneUrlSsh"):
            if key in metadata:
                metadata[key] = metadata[key].rsplit("/", 1)[0] + "/" + new
        metadata["lastModifiedDate"] = unix_time()
        repositories[new] = repository
        return "{}"

    responses.CodeCommitResponse.update_repository_description = update_repository_description
    responses.CodeCommitResponse.update_repository_name = update_repository_name


def codepipeline_metadata_dates_are_strings():
    """CodePipeline GetPipeline/ListPipelines: moto returns `created` and
    `updated` as ISO-8601 strings; AWS sends epoch seconds, and the provider
    fails to decode the metadata."""
    from moto.codepipeline import models

    original = models.CodePipeline.metadata.fget

    def metadata(self):
        result = dict(original(self))
        result["created"] = unix_time(self._created)
        result["updated"] = unix_time(self._updated)
        return result

    models.CodePipeline.metadata = property(metadata)


def codepipeline_trust_reads_service_as_string():
    """CodePipeline CreatePipeline: moto checks the role's trust policy with
    `"codepipeline.amazonaws.com" in [statement["Principal"]["Service"] ...]`,
    so a statement whose Service is a list (as IAM allows, and as a role
    shared by several services has it) is "not authorized". AWS accepts any
    statement that names the service, alone or in a list. The trust check is
    moto's only use of `json` in that module: it gets a `loads` that splits a
    statement listing N services into N statements of one service each, so
    moto's own check then sees every service (the stored role is untouched)."""
    from moto.codepipeline import models

    def loads(text, *args, **kwargs):
        document = json.loads(text, *args, **kwargs)
        if not isinstance(document, dict) or "Statement" not in document:
            return document
        statements = document["Statement"]
        if isinstance(statements, dict):
            statements = [statements]
        split = []
        for statement in statements:
            services = statement.get("Principal", {}).get("Service")
            if isinstance(services, list):
                for service in services:
                    principal = dict(statement["Principal"], Service=service)
                    split.append(dict(statement, Principal=principal))
            else:
                split.append(statement)
        return dict(document, Statement=split)

    models.json = types.SimpleNamespace(loads=loads, dumps=json.dumps)


def codebuild_requires_location_for_codepipeline():
    """CodeBuild CreateProject: moto demands `source.location` for every
    source type and `artifacts.location` for every artifacts type but
    NO_ARTIFACTS; AWS takes neither for type CODEPIPELINE (the pipeline hands
    the build its input and collects its output), nor a source location for
    NO_SOURCE. The provider sends none there, so moto rejects every project a
    CodePipeline runs with "Project source location is required"."""
    from moto.codebuild import responses

    original_source = responses._validate_required_params_source
    original_artifacts = responses._validate_required_params_artifacts

    def validate_source(source):
        if source.get("type") in ("CODEPIPELINE", "NO_SOURCE"):
            source = dict(source, location=source.get("location") or "-")
        original_source(source)

    def validate_artifacts(artifacts):
        if artifacts.get("type") == "CODEPIPELINE":
            artifacts = dict(artifacts, location=artifacts.get("location") or "-")
        original_artifacts(artifacts)

    responses._validate_required_params_source = validate_source
    responses._validate_required_params_artifacts = validate_artifacts


def codebuild_delete_project_ignores_arn():
    """CodeBuild DeleteProject: AWS takes the project's name or ARN (the
    provider's resource id, which it deletes by, is the ARN); moto looks the
    value up by name only and silently deletes nothing, so `destroy` reports
    success while the project stays."""
    from moto.codebuild import models

    original = models.CodeBuildBackend.delete_project

    @functools.wraps(original)
    def delete_project(self, project_name):
        for name, project in self.codebuild_projects.items():
            if project.arn == project_name:
                project_name = name
                break
        original(self, project_name)

    models.CodeBuildBackend.delete_project = delete_project


def codebuild_ignores_encryption_key():
    """CodeBuild CreateProject: moto drops the request's `encryptionKey` and
    always answers the AWS-managed `alias/aws/s3`; AWS keeps the customer key
    given (and answers `alias/aws/s3` only when none is). The provider then
    sees the key differ on every plan and, since moto has no UpdateProject,
    the perpetual diff cannot even be applied."""
    from moto.codebuild import responses

    original = responses.CodeBuildResponse.create_project

    @functools.wraps(original)
    def create_project(self):
        result = original(self)
        key = self._get_param("encryptionKey")
        if key:
            project = self.codebuild_backend.codebuild_projects[self._get_param("name")]
            project.project_metadata["encryptionKey"] = key
        return result

    responses.CodeBuildResponse.create_project = create_project


def iam_has_no_service_specific_credentials():
    """IAM service-specific credentials (the HTTPS Git credentials of a
    CodeCommit mirror user): moto implements none of Create, List, Reset,
    Update or DeleteServiceSpecificCredential ("The
    create_service_specific_credential action has not been implemented",
    HTTP 500), so `aws_iam_service_specific_credential` cannot be created.
    AWS keeps at most two per user and service, for codecommit.amazonaws.com
    and cassandra.amazonaws.com (keyspaces) only; answers a user it does not
    know with NoSuchEntity; names the Git user `<user>-at-<account>`; shows
    the password only when a credential is created or reset; and refuses
    DeleteUser while the user still has one (DeleteConflict)."""
    import datetime
    import secrets
    import string

    from moto.core.responses import ActionResult
    from moto.iam import models, responses
    from moto.iam.exceptions import (
        DeleteConflictException,
        IAMException,
        LimitExceededException,
        NoSuchEntity,
    )

    class NotSupportedService(IAMException):
        code = "NotSupportedService"

    # moto finds an error's service (to serialize it) by its module.
    NotSupportedService.__module__ = IAMException.__module__

    services = ("codecommit.amazonaws.com", "cassandra.amazonaws.com")

    def credentials_of(backend, user_name):
        user = backend.get_user(user_name)
        if not hasattr(user, "service_specific_credentials"):
            user.service_specific_credentials = []
        return user, user.service_specific_credentials

    def password():
        alphabet = string.ascii_letters + string.digits + "+/="
        return "".join(secrets.choice(alphabet) for _ in range(44))

    def find(credentials, credential_id):
        for credential in credentials:
            if credential["ServiceSpecificCredentialId"] == credential_id:
                return credential
        raise NoSuchEntity(f"No such credential {credential_id}")

    def metadata(credential):
        return {key: value for key, value in credential.items() if key != "ServicePassword"}

    def create(self):
        user_name = self._get_param("UserName")
        service = self._get_param("ServiceName")
        user, credentials = credentials_of(self.backend, user_name)
        if service not in services:
            raise NotSupportedService(f"Service {service} is not supported")
        if sum(1 for c in credentials if c["ServiceName"] == service) >= 2:
            raise LimitExceededException(
                "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2"
            )
        alphabet = string.ascii_uppercase + string.digits
        credential = {
            "CreateDate": datetime.datetime.now(datetime.timezone.utc),
            "ServiceName": service,
            "ServiceUserName": f"{user_name}-at-{self.current_account}",
            "ServicePassword": password(),
            "ServiceSpecificCredentialId": "ACCA"
            + "".join(secrets.choice(alphabet) for _ in range(17)),
            "UserName": user.name,
            "Status": "Active",
        }
        credentials.append(credential)
        return ActionResult({"ServiceSpecificCredential": credential})

    def list_(self):
        user_name = self._get_param("UserName")
        service = self._get_param("ServiceName")
        _, credentials = credentials_of(self.backend, user_name)
        listed = [
            metadata(c) for c in credentials if service is None or c["ServiceName"] == service
        ]
        return ActionResult({"ServiceSpecificCredentials": listed})

    def update(self):
        _, credentials = credentials_of(self.backend, self._get_param("UserName"))
        credential = find(credentials, self._get_param("ServiceSpecificCredentialId"))
        credential["Status"] = self._get_param("Status")
        return ActionResult({})

    def reset(self):
        _, credentials = credentials_of(self.backend, self._get_param("UserName"))
        credential = find(credentials, self._get_param("ServiceSpecificCredentialId"))
        credential["ServicePassword"] = password()
        return ActionResult({"ServiceSpecificCredential": credential})

    def delete(self):
        _, credentials = credentials_of(self.backend, self._get_param("UserName"))
        credential = find(credentials, self._get_param("ServiceSpecificCredentialId"))
        credentials.remove(credential)
        return ActionResult({})

    original_delete_user = models.IAMBackend.delete_user

    @functools.wraps(original_delete_user)
    def delete_user(self, user_name):
        user = self.get_user(user_name)
        if getattr(user, "service_specific_credentials", None):
            raise DeleteConflictException(
                "Cannot delete entity, must remove service specific credentials first."
            )
        original_delete_user(self, user_name)

    responses.IamResponse.create_service_specific_credential = create
    responses.IamResponse.list_service_specific_credentials = list_
    responses.IamResponse.update_service_specific_credential = update
    responses.IamResponse.reset_service_specific_credential = reset
    responses.IamResponse.delete_service_specific_credential = delete
    models.IAMBackend.delete_user = delete_user


def codestar_connections_not_implemented():
    """CodeStar Connections (CodeConnections): moto has no backend for it at
    all; every call answers HTTP 404 "Not yet implemented", so
    `aws_codestarconnections_connection` cannot be created, read or
    destroyed. This adds a minimal backend of what the provider and the
    harness call, answering as the AWS API Reference documents:
    CreateConnection (`ConnectionName`, `ProviderType` or `HostArn`, `Tags`)
    returns `ConnectionArn`
    `arn:aws:codestar-connections:<region>:<account>:connection/<uuid>` and
    `Tags`; a new connection is `PENDING` (only a person approving it in the
    console makes it `AVAILABLE`); GetConnection returns `Connection` with
    `ConnectionName`, `ConnectionArn`, `ProviderType`, `OwnerAccountId` and
    `ConnectionStatus`; ListConnections filters by `ProviderTypeFilter`;
    ListTagsForResource, TagResource and UntagResource keep `[{Key, Value}]`
    per ARN; DeleteConnection removes it. An unknown ARN is
    ResourceNotFoundException; a provider type not in the API's enum is
    ValidationException; more than one of ProviderType and HostArn, or
    neither, is InvalidInputException."""
    import re
    import uuid

    import moto.backend_index as backend_index
    from moto.core.base_backend import BackendDict, BaseBackend
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import BaseResponse

    provider_types = (
        "Bitbucket",
        "GitHub",
        "GitHubEnterpriseServer",
        "GitLab",
        "GitLabSelfManaged",
        "AzureDevOps",
    )

    def not_found(arn):
        return JsonRESTError("ResourceNotFoundException", f"Resource not found: {arn}")

    class CodeStarConnectionsBackend(BaseBackend):
        def __init__(self, region_name, account_id):
            super().__init__(region_name, account_id)
            self.connections = {}

        def create_connection(self, name, provider_type, host_arn, tags):
            if bool(provider_type) == bool(host_arn):
                raise JsonRESTError(
                    "InvalidInputException",
                    "Exactly one of ProviderType and HostArn must be specified",
                )
            if provider_type and provider_type not in provider_types:
                raise JsonRESTError(
                    "ValidationException",
                    f"1 validation error detected: Value '{provider_type}' at 'providerType' "
                    f"failed to satisfy constraint: Member must satisfy enum value set: "
                    f"{list(provider_types)}",
                )
            arn = (
                f"arn:aws:codestar-connections:{self.region_name}:{self.account_id}:"
                f"connection/{uuid.uuid4()}"
            )
            connection = {
                "ConnectionName": name,
                "ConnectionArn": arn,
                "ProviderType": provider_type or "GitHubEnterpriseServer",
                "OwnerAccountId": self.account_id,
                "ConnectionStatus": "PENDING",
            }
            if host_arn:
                connection["HostArn"] = host_arn
            self.connections[arn] = {"connection": connection, "tags": list(tags or [])}
            return arn, list(tags or [])

        def get(self, arn):
            if arn not in self.connections:
                raise not_found(arn)
            return self.connections[arn]

    # moto finds a backend's URL module from the backend class's module.
    CodeStarConnectionsBackend.__module__ = "moto.codestarconnections.models"
    backends = BackendDict(CodeStarConnectionsBackend, "codestar-connections")

    class CodeStarConnectionsResponse(BaseResponse):
        def __init__(self):
            super().__init__(service_name="codestar-connections")

        @property
        def backend(self):
            return backends[self.current_account][self.region]

        def create_connection(self):
            arn, tags = self.backend.create_connection(
                self._get_param("ConnectionName"),
                self._get_param("ProviderType"),
                self._get_param("HostArn"),
                self._get_param("Tags"),
            )
            return json.dumps({"ConnectionArn": arn, "Tags": tags})

        def get_connection(self):
            record = self.backend.get(self._get_param("ConnectionArn"))
            return json.dumps({"Connection": record["connection"]})

        def list_connections(self):
            wanted = self._get_param("ProviderTypeFilter")
            listed = [
                record["connection"]
                for record in self.backend.connections.values()
                if wanted is None or record["connection"]["ProviderType"] == wanted
            ]
            return json.dumps({"Connections": listed})

        def delete_connection(self):
            arn = self._get_param("ConnectionArn")
            self.backend.get(arn)
            del self.backend.connections[arn]
            return "{}"

        def list_tags_for_resource(self):
            record = self.backend.get(self._get_param("ResourceArn"))
            return json.dumps({"Tags": record["tags"]})

        def tag_resource(self):
            record = self.backend.get(self._get_param("ResourceArn"))
            tags = {tag["Key"]: tag["Value"] for tag in record["tags"]}
            tags.update({tag["Key"]: tag["Value"] for tag in self._get_param("Tags") or []})
            record["tags"] = [{"Key": key, "Value": value} for key, value in tags.items()]
            return "{}"

        def untag_resource(self):
            record = self.backend.get(self._get_param("ResourceArn"))
            gone = set(self._get_param("TagKeys") or [])
            record["tags"] = [tag for tag in record["tags"] if tag["Key"] not in gone]
            return "{}"

    url_base = r"https?://codestar-connections\.(.+)\.amazonaws\.com"
    package = types.ModuleType("moto.codestarconnections")
    package.__path__ = []
    package.codestarconnections_backends = backends
    models = types.ModuleType("moto.codestarconnections.models")
    models.CodeStarConnectionsBackend = CodeStarConnectionsBackend
    models.codestarconnections_backends = backends
    responses = types.ModuleType("moto.codestarconnections.responses")
    responses.CodeStarConnectionsResponse = CodeStarConnectionsResponse
    urls = types.ModuleType("moto.codestarconnections.urls")
    urls.url_bases = [url_base]
    urls.url_paths = {"{0}/$": CodeStarConnectionsResponse.dispatch}
    for module in (package, models, responses, urls):
        sys.modules[module.__name__] = module
    package.models, package.responses, package.urls = models, responses, urls
    backend_index.backend_url_patterns.append(("codestarconnections", re.compile(url_base)))


# Every correction, by name; the probes (moto_patch_probe.py) use the same names.
PATCHES = {
    patch.__name__: patch
    for patch in (
        codecommit_repository_dates_are_strings,
        codecommit_has_no_tagging,
        codecommit_has_no_list_repositories,
        codecommit_has_no_repository_updates,
        codepipeline_metadata_dates_are_strings,
        codepipeline_trust_reads_service_as_string,
        codebuild_requires_location_for_codepipeline,
        codebuild_delete_project_ignores_arn,
        codebuild_ignores_encryption_key,
        iam_has_no_service_specific_credentials,
        codestar_connections_not_implemented,
    )
}


def apply_all():
    for patch in PATCHES.values():
        patch()


def main():
    apply_all()
    from moto.server import main as moto_server

    moto_server(sys.argv[1:])


if __name__ == "__main__":
    main()
