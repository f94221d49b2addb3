"""What went wrong with a call to Claude, in terms on-call and the router can act on.

:func:`classify` turns whatever a call raised (an ``anthropic`` API error, a transport
error from under the SDK, a decoding error from a broken body, a credential error) into
a :class:`Failure`: one category, the HTTP status and request id where there are any,
and a one-line detail with no credential in it. :func:`hint` says what to check for a
category on a given path kind. The smoke tests report both; the router decides from
the category whether to try the next path.
"""

from __future__ import annotations

import json
import socket
import ssl
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Category", "Failure", "classify", "hint", "request_id_of"]


class Category(StrEnum):
    """Why a call failed."""

    AUTHENTICATION = "authentication"
    PERMISSION = "permission"
    NOT_FOUND = "model-not-found"
    BAD_REQUEST = "bad-request"
    TOO_LARGE = "too-large"
    RATE_LIMITED = "rate-limited"
    OVERLOADED = "overloaded"
    SERVER_ERROR = "server-error"
    REFUSED = "network-refused"
    NETWORK = "network"
    DNS = "dns"
    TLS = "tls"
    TIMEOUT = "timeout"
    STREAM_BROKEN = "stream-broken"
    MALFORMED = "malformed-response"
    CREDENTIALS = "credentials"
    UNKNOWN = "unknown"


CALLER_ERRORS = frozenset({Category.BAD_REQUEST, Category.TOO_LARGE})
"""The request itself is wrong: another path would refuse it too."""


@dataclass(frozen=True)
class Failure:
    """One classified failure."""

    category: Category
    detail: str
    status: int | None = None
    request_id: str | None = None

    @property
    def caller_error(self) -> bool:
        """Whether the request is at fault rather than the path (no failover helps)."""
        return self.category in CALLER_ERRORS


_BY_STATUS = {
    400: Category.BAD_REQUEST,
    401: Category.AUTHENTICATION,
    403: Category.PERMISSION,
    404: Category.NOT_FOUND,
    413: Category.TOO_LARGE,
    429: Category.RATE_LIMITED,
    503: Category.OVERLOADED,
    529: Category.OVERLOADED,
}


_CREDENTIAL_PROVIDER_ERRORS = frozenset(
    {
        "ClientAuthenticationError",
        "CredentialUnavailableError",
        "RefreshError",
        "DefaultCredentialsError",
        "NoCredentialsError",
    }
)
"""What azure-identity, google-auth and botocore raise when they cannot produce a credential."""


REQUEST_ID_HEADERS = ("request-id", "x-amzn-requestid", "apim-request-id", "x-request-id")
"""Where each platform puts its request id: Anthropic, AWS, Azure API Management, others."""


def request_id_of(headers: Any) -> str | None:
    """The platform's request id in a response's headers, to quote to its support."""
    if headers is None:
        return None
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return str(value)
    return None


def _chain(error: BaseException) -> list[BaseException]:
    """The error and its causes, outermost first, without cycles."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not item for item in seen):
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _type_names(chain: list[BaseException]) -> set[str]:
    return {f"{type(item).__module__}.{type(item).__name__}" for item in chain} | {
        type(item).__name__ for item in chain
    }


def classify(error: BaseException) -> Failure:
    """The category of ``error``, with its status and request id where it has them."""
    import anthropic

    from routing.clients import CredentialError

    if isinstance(error, CredentialError):
        return Failure(Category.CREDENTIALS, str(error))
    if isinstance(error, anthropic.APIStatusError):
        status = error.status_code
        category = _BY_STATUS.get(status)
        if category is None:
            category = Category.SERVER_ERROR if status >= 500 else Category.UNKNOWN
        return Failure(
            category,
            f"HTTP {status}: {_api_message(error)}",
            status=status,
            # Bedrock's errors carry their id in an AWS header that the SDK does not read.
            request_id=error.request_id or request_id_of(getattr(error.response, "headers", None)),
        )

    chain = _chain(error)
    names = _type_names(chain)
    provider_failure = sorted(names & _CREDENTIAL_PROVIDER_ERRORS)
    if provider_failure:
        # Vertex and Foundry clients fetch their tokens inside the call itself.
        return Failure(
            Category.CREDENTIALS,
            f"the path's credentials could not be obtained ({provider_failure[0]})",
        )
    if isinstance(error, anthropic.APITimeoutError) or any(
        isinstance(item, TimeoutError) or "Timeout" in type(item).__name__ for item in chain
    ):
        return Failure(Category.TIMEOUT, "no answer within the deadline")
    if any(isinstance(item, socket.gaierror) for item in chain):
        return Failure(Category.DNS, "the host name does not resolve")
    if any(isinstance(item, ssl.SSLError) for item in chain):
        return Failure(Category.TLS, f"TLS handshake failed: {_last_words(chain, ssl.SSLError)}")
    if any(isinstance(item, ConnectionRefusedError) for item in chain):
        return Failure(Category.REFUSED, "the connection was refused")
    if names & {"RemoteProtocolError", "ReadError", "IncompleteRead"} or any(
        isinstance(item, ConnectionResetError) for item in chain
    ):
        return Failure(Category.STREAM_BROKEN, "the connection closed before the answer ended")
    if isinstance(error, anthropic.APIResponseValidationError) or any(
        isinstance(item, json.JSONDecodeError) for item in chain
    ):
        return Failure(Category.MALFORMED, "the answer's body could not be decoded")
    if names & {"ChecksumMismatch", "InvalidHeadersLength", "InvalidPayloadLength"}:
        return Failure(Category.MALFORMED, "an event-stream frame failed its checksum")
    if isinstance(error, anthropic.APIConnectionError) or any(
        isinstance(item, ConnectionError | OSError) for item in chain
    ):
        return Failure(Category.NETWORK, "the connection failed")
    return Failure(Category.UNKNOWN, type(error).__name__)


def _api_message(error: Any) -> str:
    """The platform's own error message, on one line and short."""
    body = getattr(error, "body", None)
    message = None
    if isinstance(body, dict):
        inner = body.get("error")
        if isinstance(inner, dict):
            message = inner.get("message")
        message = message or body.get("message") or body.get("Message")
    text = str(message or getattr(error, "message", "") or type(error).__name__)
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:157] + "..."


def _last_words(chain: list[BaseException], kind: type[BaseException]) -> str:
    for item in chain:
        if isinstance(item, kind):
            return " ".join(str(item).split())[:120] or type(item).__name__
    return ""


# What to check first, per path kind, for the categories where the kind matters.
_HINTS: dict[tuple[str, Category], str] = {
    ("bedrock", Category.AUTHENTICATION): "check that the invoker role's session is valid "
    "and the clock is right (SigV4 signatures expire)",
    ("bedrock", Category.PERMISSION): "check the invoker role's model ARNs and that the "
    "inference profile's region is in aws.regions; model access must be granted in the "
    "Bedrock console",
    ("bedrock", Category.NOT_FOUND): "check the model or inference profile id in the catalog "
    "and that the profile exists in this region",
    ("bedrock", Category.RATE_LIMITED): "request a Bedrock quota increase for the model, or "
    "use a cross-region inference profile",
    ("bedrock", Category.REFUSED): "check the bedrock-runtime VPC endpoint and its security "
    "group's allowed CIDRs",
    ("bedrock", Category.DNS): "check private DNS on the bedrock-runtime VPC endpoint",
    ("bedrock", Category.CREDENTIALS): "sign in to AWS (a profile or SSO session) as one of "
    "the invoker role's trusted principals, so that it can be assumed",
    ("bedrock-mantle", Category.AUTHENTICATION): "check the invoker role's session and "
    "the clock (SigV4)",
    ("bedrock-mantle", Category.PERMISSION): "check that the invoker role may call "
    "bedrock-mantle CreateInference on the project",
    ("bedrock-mantle", Category.NOT_FOUND): "check the mantle model id in the catalog and that "
    "the model is offered on bedrock-mantle in this region",
    ("bedrock-mantle", Category.DNS): "check the bedrock-mantle VPC endpoint's private DNS",
    ("bedrock-mantle", Category.CREDENTIALS): "sign in to AWS (a profile or SSO session) as "
    "one of the invoker role's trusted principals, so that it can be assumed",
    ("anthropic", Category.AUTHENTICATION): "the API key in Secrets Manager is wrong or "
    "revoked; set a new one with `pulumi config set --secret` and deploy",
    ("anthropic", Category.PERMISSION): "the API key's workspace may not use this model",
    ("anthropic", Category.NOT_FOUND): "check the model id in the catalog against the "
    "models the API offers",
    ("anthropic", Category.RATE_LIMITED): "the organisation's rate limit is reached; see the "
    "Console's limits page",
    ("anthropic", Category.CREDENTIALS): "check that your identity may assume the reader "
    "role and read the secret",
    ("vertex", Category.AUTHENTICATION): "check that your identity may impersonate the "
    "invoker service account (roles/iam.serviceAccountTokenCreator)",
    ("vertex", Category.PERMISSION): "check the invoker's custom role binding on the project "
    "and that the Vertex AI API is enabled",
    ("vertex", Category.NOT_FOUND): "enable the model in Model Garden for the project and "
    "check that it is offered in this location",
    ("vertex", Category.RATE_LIMITED): "request a Vertex AI quota increase for the model in "
    "this location, or use the global endpoint",
    ("vertex", Category.DNS): "check the Private Service Connect endpoint's DNS zone or "
    "Private Google Access on the subnet",
    ("vertex", Category.CREDENTIALS): "run `gcloud auth application-default login` or use a "
    "workload with a Google identity",
    ("foundry", Category.AUTHENTICATION): "check that the managed identity or your sign-in "
    "can get an Entra ID token for cognitiveservices.azure.com",
    ("foundry", Category.PERMISSION): "check the role assignment on the Foundry account and "
    "the account's network rules (public access is off)",
    ("foundry", Category.NOT_FOUND): "check the deployment name in the catalog and that the "
    "Marketplace terms for the Claude offer are accepted on the subscription",
    ("foundry", Category.RATE_LIMITED): "raise the deployment's capacity or request quota",
    ("foundry", Category.DNS): "check the privatelink DNS zones linked to the VNet",
    ("foundry", Category.CREDENTIALS): "run `az login`, or run where the managed identity "
    "is attached, so that DefaultAzureCredential finds a credential",
}

_GENERIC: dict[Category, str] = {
    Category.AUTHENTICATION: "check the path's credentials",
    Category.PERMISSION: "check the path's permissions",
    Category.NOT_FOUND: "check that the model is enabled on the path",
    Category.BAD_REQUEST: "the request is invalid; check the model id and parameters",
    Category.TOO_LARGE: "the request is too large for the path",
    Category.RATE_LIMITED: "the path is throttling; lower the rate or raise the quota",
    Category.OVERLOADED: "the service is overloaded; retry later or fail over",
    Category.SERVER_ERROR: "the service failed; retry, then check the platform's status page",
    Category.REFUSED: "nothing listens at the base URL; check the private endpoint and "
    "firewall rules",
    Category.NETWORK: "the connection failed; check routes and firewalls to the endpoint",
    Category.DNS: "the host does not resolve; check private DNS for the endpoint",
    Category.TLS: "check for a proxy intercepting TLS and the trusted CA bundle",
    Category.TIMEOUT: "no answer in time; check routes to the endpoint, or raise the deadline",
    Category.STREAM_BROKEN: "the connection dropped mid-answer; check proxies and idle "
    "timeouts between here and the endpoint",
    Category.MALFORMED: "the answer is not what the SDK expects; check for a proxy "
    "rewriting bodies",
    Category.CREDENTIALS: "the path's credentials could not be obtained",
    Category.UNKNOWN: "run again with --verbose",
}


def hint(kind: str, category: Category) -> str:
    """What to check first for ``category`` on a path of ``kind``, in one line."""
    return _HINTS.get((kind, category)) or _GENERIC[category]
