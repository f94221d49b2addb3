"""How each path kind speaks: routes, auth, body rules, answer framing and error format.

Each class turns one parsed request into one response and knows nothing of sockets or
faults. The wire formats follow what the ``anthropic`` SDK's own clients send and
expect:

======================  ==========================================  ==========================
kind                    routes                                      auth
======================  ==========================================  ==========================
``anthropic``           ``/v1/messages``, ``.../count_tokens``      API key, as ``x-api-key``
                                                                    or a bearer token
``bedrock``             ``/model/{id}/invoke``,                     SigV4 (``bedrock``) or a
                        ``/model/{id}/invoke-with-response-stream`` Bedrock API key (bearer)
``bedrock-mantle``      ``/anthropic/v1/messages``, ``.../count_    SigV4 (``bedrock-mantle``)
                        tokens``                                    or a Bedrock API key
``vertex``              ``/v1/projects/{p}/locations/{l}/publishers OAuth bearer token
                        /anthropic/models/{m}:rawPredict`` (and
                        ``:streamRawPredict``, ``count-tokens``)
``foundry``             ``/anthropic/v1/messages``, ``.../count_    ``api-key``/``x-api-key``
                        tokens``                                    or Entra ID bearer token
======================  ==========================================  ==========================

Errors come in each platform's own shape: Anthropic's ``{"type": "error", ...}`` on the
``anthropic``, ``bedrock-mantle`` and ``foundry`` paths (Foundry's gateway answers
authentication failures and unknown deployments in Azure's ``{"error": {"code", ...}}``
shape), AWS's ``{"message"}`` with ``x-amzn-ErrorType`` on ``bedrock``, and Google's
``{"error": {"code", "message", "status"}}`` on ``vertex``, which this emulator also uses
for body validation errors there.
"""

from __future__ import annotations

import hmac
import re
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar, Final
from urllib.parse import unquote

from smoke_tests.emulator import credentials
from smoke_tests.emulator._http import Request, Response
from smoke_tests.emulator.errors import ApiError
from smoke_tests.emulator.eventstream import chunk_message, corrupt_message
from smoke_tests.emulator.messages import (
    ANTHROPIC_VERSIONS,
    BEDROCK_VERSIONS,
    VERTEX_VERSIONS,
    InvalidField,
    MessagesCall,
    build_message,
    new_id,
    parse_json_object,
    sse_frame,
    stream_events,
    validate_count_tokens,
    validate_messages,
)
from smoke_tests.emulator.paths import PathSpec
from smoke_tests.emulator.sigv4 import SigV4Error, verify_sigv4

__all__ = [
    "AnthropicPlatform",
    "BedrockPlatform",
    "FoundryPlatform",
    "MantlePlatform",
    "Platform",
    "VertexPlatform",
    "malform",
    "platform_for",
]

AWS_SECRETS: Final[Mapping[str, str]] = {
    credentials.TEST_AWS_ACCESS_KEY_ID: credentials.TEST_AWS_SECRET_ACCESS_KEY
}

_SSE_HEADERS: Final = [
    ("content-type", "text/event-stream; charset=utf-8"),
    ("cache-control", "no-cache"),
]


def _same(given: str | None, expected: str) -> bool:
    """Compare a presented credential in constant time."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if that is what was sent."""
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


class Platform(ABC):
    """One path kind's side of the conversation."""

    kind: ClassVar[str]

    def __init__(self, spec: PathSpec) -> None:
        self.spec = spec

    def respond(self, request: Request) -> Response:
        """The answer to ``request``, an error answer included."""
        try:
            return self.handle(request)
        except ApiError as error:
            return self.error_response(error)

    def injected_error(self, status: int) -> Response:
        """The answer for a fault that forces ``status``, worded as the platform words it."""
        return self.error_response(ApiError(status, self.default_message(status)))

    @abstractmethod
    def handle(self, request: Request) -> Response:
        """Answer a request; raise :class:`ApiError` to refuse it."""

    @abstractmethod
    def error_response(self, error: ApiError) -> Response:
        """Render ``error`` in this platform's format."""

    @abstractmethod
    def default_message(self, status: int) -> str:
        """What this platform says for ``status`` when there is nothing more specific."""

    def check_model(self, model: str) -> None:
        """Refuse model ids this path does not serve."""
        if model in self.spec.disabled_models:
            raise self.model_not_enabled(model)
        if model not in self.spec.served_models:
            raise self.model_not_found(model)

    @abstractmethod
    def model_not_found(self, model: str) -> ApiError:
        """The error for a model id the platform does not know."""

    @abstractmethod
    def model_not_enabled(self, model: str) -> ApiError:
        """The error for a model id the platform knows but this deployment may not call."""


# --- The first-party Messages API and the platforms that reuse its format ------------------

_ANTHROPIC_ERROR_TYPES: Final = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}

_ANTHROPIC_MESSAGES: Final = {
    400: "Invalid request.",
    401: "invalid x-api-key",
    403: "Your API key does not have permission to use the specified resource.",
    404: "Not found.",
    413: "Request exceeds the maximum allowed number of bytes.",
    429: "Number of request tokens has exceeded your per-minute rate limit.",
    500: "Internal server error.",
    503: "Service unavailable.",
    504: "Request timed out.",
    529: "Overloaded",
}


class AnthropicPlatform(Platform):
    """Anthropic's own API: the Messages API at ``/v1``, authenticated with an API key."""

    kind = "anthropic"
    route_prefix: ClassVar[str] = ""
    message_id_prefix: ClassVar[str] = "msg_"

    def handle(self, request: Request) -> Response:
        self.authenticate(request)
        prefix = self.route_prefix
        route = request.path[len(prefix) :] if request.path.startswith(prefix) else ""
        if request.method != "POST" or route not in ("/v1/messages", "/v1/messages/count_tokens"):
            raise ApiError(404, "Not Found")

        self.check_version(request)
        body = parse_json_object(request.body)
        if route == "/v1/messages/count_tokens":
            model, input_tokens = validate_count_tokens(body)
            self.check_model(model)
            return Response.json(200, {"input_tokens": input_tokens}, self.request_id_headers())

        call = validate_messages(body)
        self.check_model(call.model)
        return self.messages_response(call)

    def authenticate(self, request: Request) -> None:
        # Current SDK clients send the API key as a bearer token; older ones, and most
        # hand-written calls, send it as `x-api-key`. Both are accepted.
        key = request.headers.get("x-api-key") or _bearer(request)
        if key is None:
            raise ApiError(401, "x-api-key header is required")
        if not _same(key, credentials.TEST_ANTHROPIC_API_KEY):
            raise ApiError(401, "invalid x-api-key")

    def check_version(self, request: Request) -> None:
        version = request.headers.get("anthropic-version")
        if version is None:
            raise ApiError(400, "anthropic-version: header is required")
        if version not in ANTHROPIC_VERSIONS:
            raise ApiError(400, f"anthropic-version: invalid version {version!r}")

    def request_id_headers(self) -> list[tuple[str, str]]:
        return [("request-id", new_id("req_"))]

    def messages_response(self, call: MessagesCall) -> Response:
        message = build_message(
            call, message_id=new_id(self.message_id_prefix), path_name=self.spec.name
        )
        if not call.stream:
            return Response.json(200, message, self.request_id_headers())
        events = [sse_frame(event) for event in stream_events(message)]
        return Response(
            200, [*_SSE_HEADERS, *self.request_id_headers()], events=events, framing="sse"
        )

    def model_not_found(self, model: str) -> ApiError:
        return ApiError(404, f"model: {model}")

    def model_not_enabled(self, model: str) -> ApiError:
        return ApiError(403, f"Your organization does not have access to model {model}.")

    def default_message(self, status: int) -> str:
        return _ANTHROPIC_MESSAGES.get(
            status, "Internal server error." if status >= 500 else "Error."
        )

    def error_response(self, error: ApiError) -> Response:
        status = error.status
        error_type = _ANTHROPIC_ERROR_TYPES.get(
            status, "api_error" if status >= 500 else "invalid_request_error"
        )
        headers = self.request_id_headers()
        body = {
            "type": "error",
            "error": {"type": error_type, "message": error.message},
            "request_id": headers[0][1],
        }
        if status == 429:
            headers.append(("retry-after", "1"))
        return Response.json(status, body, headers)


class MantlePlatform(AnthropicPlatform):
    """Bedrock's "mantle" endpoint: the Messages API under ``/anthropic``, on AWS auth.

    SigV4 problems come back in the Anthropic error format: missing or unknown
    credentials as 401 ``authentication_error``, a bad signature or scope as 403
    ``permission_error``.
    """

    kind = "bedrock-mantle"
    route_prefix = "/anthropic"
    signing_name: ClassVar[str] = "bedrock-mantle"

    def authenticate(self, request: Request) -> None:
        token = _bearer(request)
        if token is not None:
            if not _same(token, credentials.TEST_AWS_BEARER_TOKEN):
                raise ApiError(401, "The API key included in the request is invalid.")
            return
        try:
            verify_sigv4(
                request,
                service=self.signing_name,
                region=self.spec.region or "",
                secrets=AWS_SECRETS,
            )
        except SigV4Error as error:
            unauthenticated = error.code in (
                "MissingAuthenticationTokenException",
                "UnrecognizedClientException",
            )
            status = 401 if unauthenticated else error.status
            raise ApiError(status, error.message, error.code) from None

    def request_id_headers(self) -> list[tuple[str, str]]:
        request_id = new_id("req_")
        return [("request-id", request_id), ("x-amzn-RequestId", str(uuid.uuid4()))]


_AZURE_CODES: Final = frozenset({"401", "DeploymentNotFound"})


class FoundryPlatform(AnthropicPlatform):
    """Microsoft Foundry: the Messages API under ``/anthropic`` on an AI Services resource.

    The SDK sends an API key in both ``api-key`` and ``x-api-key``, or an Entra ID token
    as a bearer token; either is accepted.
    """

    kind = "foundry"
    route_prefix = "/anthropic"

    def authenticate(self, request: Request) -> None:
        token = _bearer(request)
        keys = [request.headers.get("api-key"), request.headers.get("x-api-key")]
        if _same(token, credentials.TEST_AZURE_TOKEN) or any(
            _same(key, credentials.TEST_FOUNDRY_API_KEY) for key in keys
        ):
            return
        raise ApiError(
            401,
            "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
            "provide a valid key for an active subscription and use a correct regional API "
            "endpoint for your resource.",
            "401",
        )

    def model_not_found(self, model: str) -> ApiError:
        return ApiError(
            404,
            f"The API deployment {model!r} for this resource does not exist. If you created the "
            "deployment within the last 5 minutes, please wait a moment and try again.",
            "DeploymentNotFound",
        )

    def model_not_enabled(self, model: str) -> ApiError:
        return self.model_not_found(model)

    def request_id_headers(self) -> list[tuple[str, str]]:
        return [("request-id", new_id("req_")), ("apim-request-id", str(uuid.uuid4()))]

    def error_response(self, error: ApiError) -> Response:
        if error.code not in _AZURE_CODES:
            return super().error_response(error)
        body = {"error": {"code": error.code, "message": error.message}}
        return Response.json(error.status, body, self.request_id_headers())


# --- Amazon Bedrock InvokeModel ---------------------------------------------------------------

_AWS_ERROR_CODES: Final = {
    400: "ValidationException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    408: "ModelTimeoutException",
    424: "ModelErrorException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}

_AWS_MESSAGES: Final = {
    400: "Malformed input request, please reformat your input and try again.",
    403: "You don't have access to the model with the specified model ID.",
    404: "The requested resource could not be found.",
    408: "Model has timed out in processing the request.",
    424: "The model returned an error.",
    429: "Too many requests, please wait before trying again.",
    500: "The server encountered an internal error while processing the request.",
    503: "Bedrock is unable to process your request.",
}

_AWS_ERROR_TYPE_SUFFIX: Final = ":http://internal.amazon.com/coral/com.amazon.bedrock/"

_BEDROCK_ROUTE: Final = re.compile(
    r"^/model/(?P<model>[^/]+)/(?P<action>invoke|invoke-with-response-stream)$"
)


class BedrockPlatform(Platform):
    """Bedrock's runtime ``InvokeModel`` and ``InvokeModelWithResponseStream``.

    The model id is in the URL, the body carries ``anthropic_version`` and no ``model``,
    and a stream arrives as AWS event-stream ``chunk`` messages, each wrapping one
    Anthropic stream event.
    """

    kind = "bedrock"
    signing_name: ClassVar[str] = "bedrock"

    def handle(self, request: Request) -> Response:
        # Like every platform here, AWS authenticates before it looks at the operation.
        self.authenticate(request)

        match = _BEDROCK_ROUTE.match(request.raw_path)
        if request.method != "POST" or match is None:
            raise ApiError(404, "Unknown operation.", "UnknownOperationException")
        model = unquote(match["model"])
        streaming = match["action"] == "invoke-with-response-stream"

        body = parse_json_object(request.body)
        self._check_body_keys(body)
        try:
            call = validate_messages(body, model=model)
        except InvalidField as error:
            raise ApiError(400, self._malformed_input(error)) from None
        self.check_model(model)
        call = MessagesCall(
            model=call.model,
            max_tokens=call.max_tokens,
            stream=streaming,
            input_tokens=call.input_tokens,
            last_user_text=call.last_user_text,
        )
        return self._invoke_response(call)

    def authenticate(self, request: Request) -> None:
        token = _bearer(request)
        if token is not None:
            if not _same(token, credentials.TEST_AWS_BEARER_TOKEN):
                raise ApiError(
                    403,
                    "The security token included in the request is invalid.",
                    "UnrecognizedClientException",
                )
            return
        verify_sigv4(
            request, service=self.signing_name, region=self.spec.region or "", secrets=AWS_SECRETS
        )

    def _check_body_keys(self, body: Mapping[str, Any]) -> None:
        version = body.get("anthropic_version")
        if version is None:
            raise ApiError(
                400,
                "Malformed input request: #: required key [anthropic_version] not found, "
                "please reformat your input and try again.",
            )
        if version not in BEDROCK_VERSIONS:
            raise ApiError(
                400,
                f"Malformed input request: #/anthropic_version: {version} is not a valid enum "
                f"value, please reformat your input and try again.",
            )
        for key in ("model", "stream"):
            if key in body:
                raise ApiError(
                    400,
                    f"Malformed input request: #: extraneous key [{key}] is not permitted, "
                    "please reformat your input and try again.",
                )

    @staticmethod
    def _malformed_input(error: InvalidField) -> str:
        if error.problem == "Field required":
            detail = f"#: required key [{error.field}] not found"
        else:
            detail = f"#/{error.field.replace('.', '/')}: {error.problem}"
        return f"Malformed input request: {detail}, please reformat your input and try again."

    def _invoke_response(self, call: MessagesCall) -> Response:
        started = time.monotonic()
        message = build_message(call, message_id=new_id("msg_bdrk_"), path_name=self.spec.name)
        usage = message["usage"]
        latency_ms = str(max(1, round((time.monotonic() - started) * 1000)))
        request_id = [("x-amzn-RequestId", str(uuid.uuid4()))]
        if not call.stream:
            return Response.json(
                200,
                message,
                [
                    *request_id,
                    ("X-Amzn-Bedrock-Invocation-Latency", latency_ms),
                    ("X-Amzn-Bedrock-Input-Token-Count", str(usage["input_tokens"])),
                    ("X-Amzn-Bedrock-Output-Token-Count", str(usage["output_tokens"])),
                ],
            )

        events = stream_events(message, ping=False)
        events[-1]["amazon-bedrock-invocationMetrics"] = {
            "inputTokenCount": usage["input_tokens"],
            "outputTokenCount": usage["output_tokens"],
            "invocationLatency": int(latency_ms),
            "firstByteLatency": int(latency_ms),
        }
        headers = [
            ("content-type", "application/vnd.amazon.eventstream"),
            ("x-amzn-bedrock-content-type", "application/json"),
            *request_id,
        ]
        return Response(
            200, headers, events=[chunk_message(event) for event in events], framing="eventstream"
        )

    def model_not_found(self, model: str) -> ApiError:
        return ApiError(400, "The provided model identifier is invalid.", "ValidationException")

    def model_not_enabled(self, model: str) -> ApiError:
        return ApiError(
            403,
            "You don't have access to the model with the specified model ID.",
            "AccessDeniedException",
        )

    def default_message(self, status: int) -> str:
        return _AWS_MESSAGES.get(
            status, _AWS_MESSAGES[500] if status >= 500 else _AWS_MESSAGES[400]
        )

    def error_response(self, error: ApiError) -> Response:
        code = error.code or _AWS_ERROR_CODES.get(
            error.status,
            "InternalServerException" if error.status >= 500 else "ValidationException",
        )
        headers = [
            ("x-amzn-RequestId", str(uuid.uuid4())),
            ("x-amzn-ErrorType", code + _AWS_ERROR_TYPE_SUFFIX),
        ]
        return Response.json(error.status, {"message": error.message}, headers)


# --- Google Vertex AI -------------------------------------------------------------------------

_GOOGLE_STATUSES: Final = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
    529: "UNAVAILABLE",
}

_GOOGLE_MESSAGES: Final = {
    400: "Request contains an invalid argument.",
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential.",
    403: "The caller does not have permission.",
    404: "Requested entity was not found.",
    429: "Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model "
    "with base model: anthropic-claude. Please submit a quota increase request.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
    504: "The request timed out.",
}

_VERTEX_ROUTE: Final = re.compile(
    r"^/v1/projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)"
    r"/publishers/anthropic/models/(?P<model>[^/]+):(?P<method>rawPredict|streamRawPredict)$"
)


class VertexPlatform(Platform):
    """Vertex AI's ``rawPredict`` and ``streamRawPredict`` for Anthropic's models.

    The model id is in the URL, except for token counting (the ``count-tokens`` model),
    whose body names it. ``:streamRawPredict`` answers with server-sent events and expects
    ``"stream": true`` in the body; ``:rawPredict`` expects no stream.
    """

    kind = "vertex"

    def handle(self, request: Request) -> Response:
        self.authenticate(request)
        match = _VERTEX_ROUTE.match(request.raw_path)
        if request.method != "POST" or match is None:
            raise ApiError(
                404, f"The requested URL {request.raw_path} was not found on this server."
            )
        project, location = unquote(match["project"]), unquote(match["location"])
        model, method = unquote(match["model"]), match["method"]

        resource = f"projects/{project}/locations/{location}/publishers/anthropic/models/{model}"
        if project != self.spec.project:
            raise ApiError(
                403,
                f"Permission 'aiplatform.endpoints.predict' denied on resource "
                f"'//aiplatform.googleapis.com/{resource}' (or it may not exist).",
            )
        if location != self.spec.region:
            raise ApiError(
                400,
                f"Location {location!r} does not match the location of this endpoint "
                f"({self.spec.region!r}).",
            )

        body = parse_json_object(request.body)
        version = body.get("anthropic_version")
        if version is None:
            raise ApiError(400, "anthropic_version: Field required")
        if version not in VERTEX_VERSIONS:
            raise ApiError(
                400, f"anthropic_version: Input should be one of {sorted(VERTEX_VERSIONS)}"
            )

        if model == "count-tokens":
            if method != "rawPredict":
                raise ApiError(404, f"Publisher Model `{resource}` not found.")
            counted_model, input_tokens = validate_count_tokens(body)
            self.check_model(counted_model)
            return Response.json(200, {"input_tokens": input_tokens}, self.request_id_headers())

        if "model" in body:
            raise ApiError(400, "model: Extra inputs are not permitted")
        call = validate_messages(body, model=model)
        expects_stream = method == "streamRawPredict"
        if call.stream != expects_stream:
            raise ApiError(
                400, f'stream: :{method} expects "stream": {str(expects_stream).lower()}'
            )
        self.check_model(model)
        return self._predict_response(call)

    def authenticate(self, request: Request) -> None:
        token = _bearer(request)
        if token is None:
            raise ApiError(
                401,
                "Request is missing required authentication credential. Expected OAuth 2 access "
                "token, login cookie or other valid authentication credential.",
            )
        if not _same(token, credentials.TEST_GCP_ACCESS_TOKEN):
            raise ApiError(401, _GOOGLE_MESSAGES[401])

    def request_id_headers(self) -> list[tuple[str, str]]:
        return [("request-id", new_id("req_vrtx_"))]

    def _predict_response(self, call: MessagesCall) -> Response:
        message = build_message(call, message_id=new_id("msg_vrtx_"), path_name=self.spec.name)
        if not call.stream:
            return Response.json(200, message, self.request_id_headers())
        events = [sse_frame(event) for event in stream_events(message)]
        return Response(
            200, [*_SSE_HEADERS, *self.request_id_headers()], events=events, framing="sse"
        )

    def model_not_found(self, model: str) -> ApiError:
        return ApiError(
            404,
            f"Publisher Model `projects/{self.spec.project}/locations/{self.spec.region}"
            f"/publishers/anthropic/models/{model}` not found.",
        )

    def model_not_enabled(self, model: str) -> ApiError:
        return ApiError(
            404,
            f"Publisher Model `projects/{self.spec.project}/locations/{self.spec.region}"
            f"/publishers/anthropic/models/{model}` was not found or your project does not have "
            "access to it. Please ensure you are using a valid model version.",
        )

    def default_message(self, status: int) -> str:
        return _GOOGLE_MESSAGES.get(
            status, _GOOGLE_MESSAGES[500] if status >= 500 else _GOOGLE_MESSAGES[400]
        )

    def error_response(self, error: ApiError) -> Response:
        status_name = _GOOGLE_STATUSES.get(
            error.status, "INTERNAL" if error.status >= 500 else "FAILED_PRECONDITION"
        )
        body = {"error": {"code": error.status, "message": error.message, "status": status_name}}
        return Response.json(error.status, body, self.request_id_headers())


_PLATFORMS: Final[dict[str, type[Platform]]] = {
    "anthropic": AnthropicPlatform,
    "bedrock": BedrockPlatform,
    "bedrock-mantle": MantlePlatform,
    "vertex": VertexPlatform,
    "foundry": FoundryPlatform,
}


def platform_for(spec: PathSpec) -> Platform:
    """The platform that speaks for ``spec``'s kind."""
    return _PLATFORMS[spec.kind](spec)


def malform(response: Response) -> Response:
    """``response`` with a body that its client cannot decode.

    A JSON body is cut in half; the first server-sent event gets data that is not JSON;
    the first event-stream message gets a wrong checksum.
    """
    if response.events is None:
        half = response.body[: max(1, len(response.body) // 2)]
        return Response(response.status, list(response.headers), half)
    events = list(response.events)
    if events and response.framing == "eventstream":
        events[0] = corrupt_message(events[0])
    elif events:
        events[0] = b'event: message_start\ndata: {"type": "message_start", "message": \n\n'
    return Response(
        response.status, list(response.headers), events=events, framing=response.framing
    )
