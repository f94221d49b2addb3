"""The paths manifest: the stack output ``claudePaths``.

It is the contract between the deployed stack and everything that calls Claude: the
smoke tests and the routing client read only this, never Pulumi. Each entry says how
to reach Claude on one path and how to authenticate there, by reference: a role ARN,
a service account e-mail, a managed identity client id or a secret's ARN, never a
secret value.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

__all__ = [
    "SCHEMA_VERSION",
    "Manifest",
    "ManifestError",
    "PathEntry",
    "emulated_paths",
    "load_manifest",
    "manifest_from",
    "read_stack_manifest",
    "refuse_emulated",
]

SCHEMA_VERSION = 1
"""Bumped on any change that an older reader would misread."""


class ManifestError(Exception):
    """The manifest cannot be read or does not follow the schema."""


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )


class AwsRoleAuth(_Model):
    """Assume this role through STS, then sign requests with SigV4."""

    type: Literal["aws-iam-role"] = "aws-iam-role"
    role_arn: str


class SecretAuth(_Model):
    """Read the API key from this Secrets Manager secret, as the reader role."""

    type: Literal["secret"] = "secret"
    secret_arn: str
    region: str
    reader_role_arn: str


class GcpServiceAccountAuth(_Model):
    """Impersonate this service account to get an access token."""

    type: Literal["gcp-service-account"] = "gcp-service-account"
    service_account_email: str


class AzureManagedIdentityAuth(_Model):
    """Use this user-assigned managed identity, or DefaultAzureCredential."""

    type: Literal["azure-managed-identity"] = "azure-managed-identity"
    client_id: str


class EmulatorAuth(_Model):
    """Well-known test credentials of the local emulator; never used against a cloud."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="allow", frozen=True
    )
    type: Literal["emulator"] = "emulator"


Auth = Annotated[
    AwsRoleAuth | SecretAuth | GcpServiceAccountAuth | AzureManagedIdentityAuth | EmulatorAuth,
    Field(discriminator="type"),
]

PathKind = Literal["anthropic", "bedrock", "bedrock-mantle", "vertex", "foundry"]


class Price(_Model):
    """USD per million tokens."""

    input_per_mtok: float = Field(alias="inputPerMTok")
    output_per_mtok: float = Field(alias="outputPerMTok")


class PathEntry(_Model):
    """One route to Claude."""

    name: str = Field(description="unique name, e.g. 'bedrock-us-east-1'")
    kind: PathKind
    priority: int = Field(ge=1, description="lower is preferred")
    region: str | None = Field(description="AWS region, GCP location or Azure region")
    base_url: str = Field(description="the URL the path's SDK client is given")
    private_dns_name: str | None = Field(
        default=None, description="the private endpoint's own DNS name, where there is one"
    )
    project: str | None = Field(default=None, description="the GCP project (vertex)")
    resource: str | None = Field(default=None, description="the Foundry resource (foundry)")
    auth: Auth
    models: dict[str, str] = Field(description="tier -> model id (or deployment) on this path")


class Manifest(_Model):
    """Every path of a stack, in priority order."""

    schema_version: Literal[1] = 1
    stack: str
    prices: dict[str, Price] = Field(description="tier -> price, from the catalog")
    paths: list[PathEntry]

    def ordered(self) -> list[PathEntry]:
        return sorted(self.paths, key=lambda entry: entry.priority)


def load_manifest(source: str | Path | dict[str, Any]) -> Manifest:
    """Read a manifest from a dict, or a JSON file as ``pulumi stack output --json`` writes.

    A file may hold the manifest itself or a stack outputs object with ``claudePaths``.

    :raises ManifestError: naming the file and the first problem.
    """
    where = "manifest"
    if isinstance(source, dict):
        raw: Any = source
    else:
        where = str(source)
        try:
            raw = json.loads(Path(source).read_text(encoding="utf-8"))
        except OSError as error:
            raise ManifestError(f"{where} cannot be read: {error.strerror}.") from None
        except json.JSONDecodeError as error:
            raise ManifestError(
                f"{where} is not JSON: {error.msg} at line {error.lineno}."
            ) from None
    if isinstance(raw, dict) and "claudePaths" in raw:
        raw = raw["claudePaths"]
    try:
        return Manifest.model_validate(raw)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        key = ".".join(str(part) for part in first["loc"])
        raise ManifestError(f"{where}: {key or 'manifest'}: {first['msg']}.") from None


PULUMI_SECONDS = 60.0
"""How long ``pulumi stack output`` may take before a command gives up on it."""


def read_stack_manifest(stack: str) -> Manifest:
    """The ``claudePaths`` output of a deployed stack, read with the Pulumi CLI.

    The CLI is looked up on ``PATH`` when called and run without ``--show-secrets``; a
    manifest holds no secret anyway.

    :raises ManifestError: in one sentence, when the CLI is missing, fails or prints no
        manifest, saying what to pass instead.
    """
    instead = "pass --manifest with a file that `pulumi stack output --json claudePaths` wrote"
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        raise ManifestError(
            f"the pulumi CLI is not on PATH, so the manifest of stack {stack!r} cannot be "
            f"read; install it, or {instead}."
        )
    command = [pulumi, "stack", "output", "--json", "claudePaths", "--stack", stack]
    try:
        answer = subprocess.run(
            command, capture_output=True, text=True, timeout=PULUMI_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise ManifestError(
            f"`pulumi stack output` for stack {stack!r} did not finish within "
            f"{PULUMI_SECONDS:g} s; {instead}."
        ) from None
    except OSError as error:
        raise ManifestError(
            f"the pulumi CLI at {pulumi} cannot be run ({error.strerror or error}); {instead}."
        ) from None
    if answer.returncode != 0:
        first = next(
            (" ".join(line.split()) for line in answer.stderr.splitlines() if line.strip()),
            "no message",
        )
        raise ManifestError(
            f"`pulumi stack output` for stack {stack!r} failed ({first[:200]}); {instead}."
        )
    try:
        raw = json.loads(answer.stdout)
    except json.JSONDecodeError:
        raise ManifestError(
            f"`pulumi stack output` for stack {stack!r} printed no JSON; {instead}."
        ) from None
    return load_manifest(raw)


def manifest_from(stack: str | None, manifest_file: str | Path | None) -> Manifest:
    """The manifest from a file, or else from a deployed stack's output.

    :raises ManifestError: when neither is given, or the one given cannot be read.
    """
    if manifest_file is not None:
        return load_manifest(manifest_file)
    if stack is None:
        raise ManifestError("pass --stack ENV or --manifest FILE to say which paths to use.")
    return read_stack_manifest(stack)


def emulated_paths(manifest: Manifest, names: Iterable[str] = ()) -> list[str]:
    """The paths (of ``names``, or all) that carry the emulator's test credentials."""
    wanted = set(names)
    return [
        entry.name
        for entry in manifest.ordered()
        if isinstance(entry.auth, EmulatorAuth) and (not wanted or entry.name in wanted)
    ]


def refuse_emulated(
    manifest: Manifest, *, allowed: bool, names: Iterable[str] = (), option: str = "--offline"
) -> None:
    """Stop a command that would use emulator credentials without being told to.

    :raises ManifestError: naming the paths and the option that allows them.
    """
    emulated = emulated_paths(manifest, names)
    if emulated and not allowed:
        noun, verb = ("path", "carries") if len(emulated) == 1 else ("paths", "carry")
        raise ManifestError(
            f"the manifest's {noun} {', '.join(emulated)} {verb} the emulator's test "
            f"credentials, so pass {option} to run against the local emulator, or use the "
            "manifest of a deployed stack."
        )


def json_schema() -> dict[str, Any]:
    """The manifest's JSON Schema."""
    schema = Manifest.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://claude-access.dev/schemas/claude-paths.v1.json"
    schema["title"] = "claudePaths manifest, version 1"
    return schema
