"""Checking AWS Signature Version 4 on incoming requests, as AWS front doors do.

The checks run in the order AWS applies them, so that each mistake produces the error
a real endpoint gives for it:

1. the ``Authorization`` header is a complete ``AWS4-HMAC-SHA256`` header;
2. the access key id is known;
3. the credential scope names this endpoint's region and service, and the request date;
4. the request date is within 15 minutes of now;
5. the signature matches one computed again, with botocore's own SigV4 signer, from the
   method, URL, signed headers and body that arrived.

Failures are raised as :class:`SigV4Error`, carrying the AWS error code and status; each
path renders them in its own error format. Neither keys nor signatures are logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any, Final

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

from smoke_tests.emulator._http import Request
from smoke_tests.emulator.errors import ApiError

__all__ = ["SigV4Error", "verify_sigv4"]

ALGORITHM: Final = "AWS4-HMAC-SHA256"
MAX_CLOCK_SKEW: Final = dt.timedelta(minutes=15)
_AMZ_DATE_FORMAT: Final = "%Y%m%dT%H%M%SZ"
_UNSIGNED_PAYLOAD: Final = "UNSIGNED-PAYLOAD"


class SigV4Error(ApiError):
    """A request that AWS would turn away; ``code`` is always the AWS error code."""

    code: str

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status, message, code)


class _ExactHeadersSigner(SigV4Auth):
    """botocore's signer, told to sign exactly the headers the client listed as signed.

    botocore leaves a few headers (``user-agent`` among them) out when it signs; another
    client may include them, and the verdict must follow what the client declared.
    """

    def __init__(self, credentials: Any, service: str, region: str, names: list[str]) -> None:
        super().__init__(credentials, service, region)
        self._names = names

    def headers_to_sign(self, request: Any) -> Any:
        selected = HTTPHeaders()
        for name in self._names:
            for value in request.headers.get_all(name) or []:
                selected[name] = value
        return selected


def _parse_authorization(header: str) -> tuple[list[str], list[str], str]:
    """Split ``AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...``."""
    algorithm, _, rest = header.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise SigV4Error(
            400,
            "IncompleteSignatureException",
            f"Authorization header requires the {ALGORITHM} algorithm.",
        )
    params: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, value = part.strip().partition("=")
        if sep:
            params[key] = value
    missing = [key for key in ("Credential", "SignedHeaders", "Signature") if not params.get(key)]
    if missing:
        raise SigV4Error(
            400,
            "IncompleteSignatureException",
            " ".join(f"Authorization header requires '{key}' parameter." for key in missing),
        )
    scope = params["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise SigV4Error(
            400,
            "IncompleteSignatureException",
            "Credential must have exactly 5 slash-delimited elements, "
            "e.g. keyid/date/region/service/aws4_request.",
        )
    signed_headers = [name.strip().lower() for name in params["SignedHeaders"].split(";")]
    return scope, signed_headers, params["Signature"]


def verify_sigv4(
    request: Request,
    *,
    service: str,
    region: str,
    secrets: Mapping[str, str],
    now: dt.datetime | None = None,
) -> str:
    """Check the SigV4 signature of ``request``; return the access key id that signed it.

    :param service: the signing name this endpoint answers to, e.g. ``bedrock``.
    :param region: the region this endpoint is in.
    :param secrets: secret access key by access key id, for every key that is recognised.
    :param now: the current time (UTC), for tests of clock skew.
    :raises SigV4Error: when AWS would reject the request.
    """
    header = request.headers.get("authorization")
    if not header:
        raise SigV4Error(403, "MissingAuthenticationTokenException", "Missing Authentication Token")

    # 1. A complete header.
    scope, signed_headers, signature = _parse_authorization(header)
    access_key, scope_date, scope_region, scope_service, _ = scope
    if "host" not in signed_headers:
        raise SigV4Error(
            400,
            "IncompleteSignatureException",
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        )

    # 2. A known key.
    secret = secrets.get(access_key)
    if secret is None:
        raise SigV4Error(
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )

    # 3. The right scope.
    if scope_region != region:
        raise SigV4Error(
            403,
            "InvalidSignatureException",
            f"Credential should be scoped to a valid region, not '{scope_region}'.",
        )
    if scope_service != service:
        raise SigV4Error(
            403,
            "InvalidSignatureException",
            f"Credential should be scoped to correct service: '{service}'.",
        )
    amz_date = request.headers.get("x-amz-date")
    if not amz_date:
        raise SigV4Error(
            400,
            "IncompleteSignatureException",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    try:
        signed_at = dt.datetime.strptime(amz_date, _AMZ_DATE_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        raise SigV4Error(
            400, "IncompleteSignatureException", f"X-Amz-Date {amz_date!r} is not a valid date."
        ) from None
    if scope_date != amz_date[:8]:
        raise SigV4Error(
            403,
            "InvalidSignatureException",
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            "from HTTP.",
        )

    # 4. A fresh request.
    current = now or dt.datetime.now(dt.UTC)
    if abs(current - signed_at) > MAX_CLOCK_SKEW:
        raise SigV4Error(
            403,
            "InvalidSignatureException",
            f"Signature expired: {amz_date} is now outside 15 minutes of "
            f"{current.strftime(_AMZ_DATE_FORMAT)}.",
        )
    declared_hash = request.headers.get("x-amz-content-sha256")
    if declared_hash not in (None, _UNSIGNED_PAYLOAD) and not hmac.compare_digest(
        declared_hash, hashlib.sha256(request.body).hexdigest()
    ):
        raise SigV4Error(
            400,
            "XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )

    # 5. The signature itself, recomputed over what arrived.
    host = request.headers.get("host") or ""
    rebuilt = AWSRequest(method=request.method, url=f"http://{host}{request.target}")
    for name, value in request.headers:
        if name.lower() in signed_headers:
            rebuilt.headers[name] = value
    rebuilt.data = request.body
    rebuilt.context["timestamp"] = amz_date
    signer = _ExactHeadersSigner(Credentials(access_key, secret), service, region, signed_headers)
    expected = signer.signature(
        signer.string_to_sign(rebuilt, signer.canonical_request(rebuilt)), rebuilt
    )
    if not hmac.compare_digest(expected, signature):
        raise SigV4Error(
            403,
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.",
        )
    return str(access_key)
