"""SDK clients for the paths of a manifest, authenticated as production is.

A manifest names credentials by reference only. This module turns each reference into
the ``anthropic`` SDK client of the path's kind:

============================  =====================================================
auth type                     how the client gets its credentials
============================  =====================================================
``aws-iam-role``              STS ``AssumeRole`` into the invoker role, then SigV4
``secret``                    assume the reader role, read the key from Secrets Manager
``gcp-service-account``       impersonate the invoker service account (IAM Credentials)
``azure-managed-identity``    the managed identity by client id, through
                              ``DefaultAzureCredential`` (which also covers workload
                              identity, environment and developer sign-in)
``emulator``                  the emulator's fixed test credentials; loopback only,
                              and only when the caller allows it explicitly
============================  =====================================================

Credentials are resolved when a client is first needed and again before they expire,
so a long-lived router keeps working across STS expiry. Nothing here logs a credential,
and nothing enables the SDK's debug logging, which prints request headers.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from routing.manifest import (
    AwsRoleAuth,
    AzureManagedIdentityAuth,
    EmulatorAuth,
    GcpServiceAccountAuth,
    PathEntry,
    SecretAuth,
)

__all__ = [
    "ClientFactory",
    "CredentialError",
    "TransportWrapper",
    "build_client",
    "is_loopback",
]

GCP_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
AZURE_SCOPE = "https://cognitiveservices.azure.com/.default"
SESSION_SECONDS = 3600
"""How long assumed AWS sessions and impersonated GCP tokens last."""

REFRESH_MARGIN = 300.0
"""A client is rebuilt when its credentials expire within this many seconds."""


TransportWrapper = Callable[[PathEntry, Any], Any]
"""Given a path and the transport its HTTP client would use (an ``httpx2.BaseTransport``,
or ``httpx2.AsyncBaseTransport`` for async clients), return the transport to use instead:
usually one that wraps it, as the failover drill's fault injection does."""


class CredentialError(Exception):
    """A path's credentials cannot be obtained; the message names the path and why."""


def is_loopback(url: str) -> bool:
    """Whether ``url`` points at this machine (where the emulator listens)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class _Built:
    client: Any
    expires_at: float | None
    """``time.time()`` after which the client's credentials are no longer valid."""


def build_client(
    entry: PathEntry,
    *,
    timeout: Any,
    max_retries: int = 0,
    asynchronous: bool = False,
    allow_emulator: bool = False,
    wrap_transport: TransportWrapper | None = None,
) -> tuple[Any, float | None]:
    """The SDK client for ``entry`` and when its credentials expire (epoch seconds).

    :param timeout: a float or ``anthropic.Timeout`` for every call of the client.
    :param max_retries: the SDK's own retries; the router and smoke tests use 0.
    :param allow_emulator: accept ``emulator`` credentials (only on loopback URLs).
    :param wrap_transport: replaces the transport under the client's HTTP client (see
        :data:`TransportWrapper`); the SDK's own connection settings are kept beneath it.
    :raises CredentialError: when the credentials cannot be obtained.
    """
    built = _build(entry, timeout, max_retries, asynchronous, allow_emulator, wrap_transport)
    return built.client, built.expires_at


def _build(
    entry: PathEntry,
    timeout: Any,
    max_retries: int,
    asynchronous: bool,
    allow_emulator: bool,
    wrap_transport: TransportWrapper | None = None,
) -> _Built:
    auth = entry.auth
    common: dict[str, Any] = {
        "base_url": entry.base_url,
        "timeout": timeout,
        "max_retries": max_retries,
    }
    if wrap_transport is None:
        return _build_for_auth(entry, auth, common, asynchronous, allow_emulator)
    http = _wrapped_http_client(entry, timeout, asynchronous, wrap_transport)
    try:
        return _build_for_auth(
            entry, auth, {**common, "http_client": http}, asynchronous, allow_emulator
        )
    except BaseException:
        if not asynchronous:
            http.close()
        raise


def _build_for_auth(
    entry: PathEntry, auth: Any, common: dict[str, Any], asynchronous: bool, allow_emulator: bool
) -> _Built:
    if isinstance(auth, EmulatorAuth):
        if not allow_emulator:
            raise CredentialError(
                f"path {entry.name!r} carries emulator test credentials; pass the offline "
                "option to use them, or use the manifest of a deployed stack"
            )
        if not is_loopback(entry.base_url):
            raise CredentialError(
                f"path {entry.name!r} carries emulator test credentials but its base URL "
                f"{entry.base_url} is not on loopback; they are only for the local emulator"
            )
        return _Built(_emulator_client(entry, auth, common, asynchronous), None)
    if isinstance(auth, AwsRoleAuth):
        keys, expires_at = _assume_role(entry, auth.role_arn)
        return _Built(_aws_client(entry, keys, common, asynchronous), expires_at)
    if isinstance(auth, SecretAuth):
        api_key, expires_at = _read_api_key(entry, auth)
        return _Built(_sdk("Anthropic", asynchronous)(api_key=api_key, **common), expires_at)
    if isinstance(auth, GcpServiceAccountAuth):
        credentials = _impersonate(entry, auth.service_account_email)
        client = _sdk("AnthropicVertex", asynchronous)(
            region=entry.region, project_id=entry.project, credentials=credentials, **common
        )
        return _Built(client, None)
    if isinstance(auth, AzureManagedIdentityAuth):
        provider = _azure_token_provider(entry, auth.client_id)
        client = _sdk("AnthropicFoundry", asynchronous)(azure_ad_token_provider=provider, **common)
        return _Built(client, None)
    raise CredentialError(f"path {entry.name!r} has an auth type this kit cannot use")


def _wrapped_http_client(
    entry: PathEntry, timeout: Any, asynchronous: bool, wrap_transport: TransportWrapper
) -> Any:
    """The SDK's default HTTP client (keep-alive, limits, proxies from the environment),
    with every transport it would route through wrapped."""
    import anthropic

    http: Any = (
        anthropic.DefaultAsyncHttpxClient(timeout=timeout)
        if asynchronous
        else anthropic.DefaultHttpxClient(timeout=timeout)
    )
    http._transport = wrap_transport(entry, http._transport)
    http._mounts = {
        pattern: None if transport is None else wrap_transport(entry, transport)
        for pattern, transport in http._mounts.items()
    }
    return http


def _sdk(name: str, asynchronous: bool) -> Any:
    import anthropic

    return getattr(anthropic, f"Async{name}" if asynchronous else name)


def _emulator_client(
    entry: PathEntry, auth: EmulatorAuth, common: dict[str, Any], asynchronous: bool
) -> Any:
    extra = auth.model_extra or {}
    if entry.kind in ("bedrock", "bedrock-mantle"):
        keys = {
            "aws_access_key": extra.get("accessKeyId"),
            "aws_secret_key": extra.get("secretAccessKey"),
        }
        return _aws_client(entry, keys, common, asynchronous)
    if entry.kind == "vertex":
        return _sdk("AnthropicVertex", asynchronous)(
            region=entry.region, project_id=entry.project, access_token=extra.get("token"), **common
        )
    if entry.kind == "foundry":
        return _sdk("AnthropicFoundry", asynchronous)(api_key=extra.get("apiKey"), **common)
    return _sdk("Anthropic", asynchronous)(api_key=extra.get("apiKey"), **common)


def _aws_client(
    entry: PathEntry, keys: dict[str, Any], common: dict[str, Any], asynchronous: bool
) -> Any:
    name = "AnthropicBedrockMantle" if entry.kind == "bedrock-mantle" else "AnthropicBedrock"
    return _sdk(name, asynchronous)(aws_region=entry.region, **keys, **common)


def _session_name() -> str:
    host = socket.gethostname().split(".")[0] or "host"
    return f"claude-access-{host}"[:64]


def _assume_role(entry: PathEntry, role_arn: str) -> tuple[dict[str, Any], float]:
    """Temporary keys of the role, from the caller's own AWS credentials."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        sts = boto3.client("sts", region_name=entry.region or "us-east-1")
        answer = sts.assume_role(
            RoleArn=role_arn, RoleSessionName=_session_name(), DurationSeconds=SESSION_SECONDS
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        raise CredentialError(
            f"path {entry.name!r}: assuming {role_arn} was refused ({code}); check that your "
            "identity is one of the role's invoker principals"
        ) from None
    except BotoCoreError as error:
        raise CredentialError(
            f"path {entry.name!r}: no AWS credentials to assume {role_arn} with ({error})"
        ) from None
    keys = answer["Credentials"]
    return (
        {
            "aws_access_key": keys["AccessKeyId"],
            "aws_secret_key": keys["SecretAccessKey"],
            "aws_session_token": keys["SessionToken"],
        },
        keys["Expiration"].timestamp(),
    )


def _read_api_key(entry: PathEntry, auth: SecretAuth) -> tuple[str, float]:
    """The API key, read as the reader role; it is re-read when that session expires."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    keys, expires_at = _assume_role(entry, auth.reader_role_arn)
    try:
        secrets = boto3.client(
            "secretsmanager",
            region_name=auth.region,
            aws_access_key_id=keys["aws_access_key"],
            aws_secret_access_key=keys["aws_secret_key"],
            aws_session_token=keys["aws_session_token"],
        )
        value = secrets.get_secret_value(SecretId=auth.secret_arn)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        raise CredentialError(
            f"path {entry.name!r}: reading the API key secret {auth.secret_arn} was refused "
            f"({code}); check the secret's resource policy and its KMS key policy"
        ) from None
    except BotoCoreError as error:
        raise CredentialError(
            f"path {entry.name!r}: the API key secret cannot be read ({error})"
        ) from None
    secret = value.get("SecretString")
    if not secret:
        raise CredentialError(
            f"path {entry.name!r}: the secret {auth.secret_arn} holds no key; set it with "
            "`pulumi config set --secret claude-access:anthropicApiKey` and deploy"
        )
    return str(secret).strip(), expires_at


def _impersonate(entry: PathEntry, email: str) -> Any:
    """Short-lived credentials of the invoker service account, refreshed by google-auth."""
    try:
        import google.auth
        from google.auth import impersonated_credentials
        from google.auth.exceptions import DefaultCredentialsError
    except ImportError:  # pragma: no cover - google-auth comes with anthropic[vertex]
        raise CredentialError("google-auth is not installed; install anthropic[vertex]") from None
    try:
        source, _ = google.auth.default(scopes=[GCP_SCOPE])
    except DefaultCredentialsError:
        raise CredentialError(
            f"path {entry.name!r}: no Google credentials to impersonate {email} with; run "
            "`gcloud auth application-default login` or run on a workload with an identity"
        ) from None
    return impersonated_credentials.Credentials(
        source_credentials=source,
        target_principal=email,
        target_scopes=[GCP_SCOPE],
        lifetime=SESSION_SECONDS,
    )


def _azure_token_provider(entry: PathEntry, client_id: str) -> Callable[[], str]:
    """Entra ID tokens for Foundry, as the managed identity wherever one is available."""
    from azure.identity import DefaultAzureCredential, get_bearer_token_provider

    credential = DefaultAzureCredential(
        managed_identity_client_id=client_id,
        workload_identity_client_id=os.environ.get("AZURE_CLIENT_ID", client_id),
    )
    return get_bearer_token_provider(credential, AZURE_SCOPE)


class ClientFactory:
    """One client per path, built on first use and rebuilt before its credentials expire.

    Thread-safe; the smoke tests and the router share a factory across their workers.
    """

    def __init__(
        self,
        *,
        timeout: Any,
        max_retries: int = 0,
        asynchronous: bool = False,
        allow_emulator: bool = False,
        clock: Callable[[], float] = time.time,
        wrap_transport: TransportWrapper | None = None,
    ) -> None:
        self._options = {
            "timeout": timeout,
            "max_retries": max_retries,
            "asynchronous": asynchronous,
            "allow_emulator": allow_emulator,
            "wrap_transport": wrap_transport,
        }
        self._clock = clock
        self._built: dict[str, _Built] = {}
        self._lock = threading.Lock()

    def client(self, entry: PathEntry) -> Any:
        """The path's client; :class:`CredentialError` when it cannot be authenticated."""
        with self._lock:
            current = self._built.get(entry.name)
            if current is not None and not self._expiring(current):
                return current.client
        client, expires_at = build_client(entry, **self._options)
        with self._lock:
            self._built[entry.name] = _Built(client, expires_at)
        return client

    def _expiring(self, built: _Built) -> bool:
        return built.expires_at is not None and built.expires_at - self._clock() < REFRESH_MARGIN

    def close(self) -> None:
        """Close every client built so far (sync clients only; async ones via aclose)."""
        with self._lock:
            built, self._built = list(self._built.values()), {}
        for item in built:
            close = getattr(item.client, "close", None)
            if close is not None and not self._options["asynchronous"]:
                close()

    async def aclose(self) -> None:
        with self._lock:
            built, self._built = list(self._built.values()), {}
        for item in built:
            await item.client.close()
