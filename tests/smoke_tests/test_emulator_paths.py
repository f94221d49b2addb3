"""Each emulated path answers the real SDK client of its kind as the real service would."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import anthropic
import httpx
import pytest
from anthropic import Omit
from anthropic.types import MessageParam
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from smoke_tests.emulator import (
    TEST_AWS_ACCESS_KEY_ID,
    TEST_AWS_BEARER_TOKEN,
    TEST_AWS_SECRET_ACCESS_KEY,
    TEST_AZURE_TOKEN,
    TEST_GCP_ACCESS_TOKEN,
    Emulator,
    PathSpec,
)
from smoke_tests.emulator._http import Headers, Request
from smoke_tests.emulator.sigv4 import SigV4Error, verify_sigv4

MESSAGES: list[MessageParam] = [{"role": "user", "content": "Say hello to the emulator please"}]
MESSAGE_WORDS = 6

REQUEST_ID_HEADERS = {
    "anthropic": "request-id",
    "bedrock": "x-amzn-RequestId",
    "bedrock-mantle": "request-id",
    "vertex": "request-id",
    "foundry": "request-id",
}
MESSAGE_ID_PREFIXES = {
    "anthropic": "msg_01",
    "bedrock": "msg_bdrk_01",
    "bedrock-mantle": "msg_01",
    "vertex": "msg_vrtx_01",
    "foundry": "msg_01",
}
INVALID_REQUEST_CODES = {
    "anthropic": "invalid_request_error",
    "bedrock": "ValidationException",
    "bedrock-mantle": "invalid_request_error",
    "vertex": "INVALID_ARGUMENT",
    "foundry": "invalid_request_error",
}
COUNTING_KINDS = ("anthropic", "bedrock-mantle", "vertex", "foundry")
ANTHROPIC_SHAPED_KINDS = ("anthropic", "bedrock-mantle", "foundry")


def error_details(kind: str, error: anthropic.APIStatusError) -> tuple[str, str]:
    """The platform error code and message, read from the platform's own error shape."""
    body: Any = error.body
    if kind == "bedrock":
        assert set(body) == {"message"}
        return error.response.headers["x-amzn-ErrorType"].split(":")[0], body["message"]
    if kind == "vertex":
        assert body["error"]["code"] == error.status_code
        return body["error"]["status"], body["error"]["message"]
    if kind == "foundry" and "type" not in body:
        return body["error"]["code"], body["error"]["message"]
    assert body["type"] == "error"
    assert body["request_id"] == error.response.headers["request-id"]
    return body["error"]["type"], body["error"]["message"]


def post_messages(client: Any, body: dict[str, Any]) -> Any:
    """Send a hand-made Messages body through the client's own routing and signing."""
    return client.post("/v1/messages", cast_to=object, body=body)


# --- answers ------------------------------------------------------------------------------


def test_every_path_answers_with_a_complete_messages_object(
    kind: str, client_for: Callable[..., Any], model_for: Callable[[str], str], path_name: Any
) -> None:
    client = client_for(kind)

    raw = client.messages.with_raw_response.create(
        model=model_for(kind), max_tokens=100, messages=MESSAGES
    )
    message = raw.parse()

    assert raw.headers.get(REQUEST_ID_HEADERS[kind])
    assert message.id.startswith(MESSAGE_ID_PREFIXES[kind])
    assert message.type == "message"
    assert message.role == "assistant"
    assert message.model == model_for(kind)
    assert message.stop_reason == "end_turn"
    text = message.content[0].text
    assert message.content[0].type == "text"
    assert path_name(kind) in text
    assert text.endswith("Say hello to the emulator please")
    assert message.usage.input_tokens == MESSAGE_WORDS
    assert message.usage.output_tokens == len(text.split())


def test_every_path_streams_the_same_text_it_answers_unstreamed(
    kind: str, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    client = client_for(kind)
    whole = client.messages.create(model=model_for(kind), max_tokens=100, messages=MESSAGES)

    with client.messages.stream(model=model_for(kind), max_tokens=100, messages=MESSAGES) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()

    assert len(pieces) > 1
    assert "".join(pieces) == whole.content[0].text
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens == whole.usage.output_tokens


def test_a_stream_sends_the_messages_events_in_order(
    kind: str, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    client = client_for(kind)

    with client.messages.create(
        model=model_for(kind), max_tokens=100, messages=MESSAGES, stream=True
    ) as stream:
        types = [event.type for event in stream]

    deltas = types.count("content_block_delta")
    assert deltas >= 2
    assert types == [
        "message_start",
        "content_block_start",
        *["content_block_delta"] * deltas,
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]


def test_a_bedrock_stream_is_aws_event_stream_framed(
    client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    client = client_for("bedrock")

    response = client.messages.with_raw_response.create(
        model=model_for("bedrock"), max_tokens=100, messages=MESSAGES, stream=True
    )
    stream = response.parse()
    list(stream)

    assert response.headers["content-type"] == "application/vnd.amazon.eventstream"
    assert response.headers["x-amzn-RequestId"]


def test_bedrock_reports_token_counts_in_its_headers(
    client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    raw = client_for("bedrock").messages.with_raw_response.create(
        model=model_for("bedrock"), max_tokens=100, messages=MESSAGES
    )
    message = raw.parse()

    assert raw.headers["X-Amzn-Bedrock-Input-Token-Count"] == str(message.usage.input_tokens)
    assert raw.headers["X-Amzn-Bedrock-Output-Token-Count"] == str(message.usage.output_tokens)


@pytest.mark.parametrize("kind", COUNTING_KINDS)
def test_token_counting_counts_the_words_of_system_and_messages(
    kind: str, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    counted = client_for(kind).messages.count_tokens(
        model=model_for(kind), system="You are terse", messages=MESSAGES
    )

    assert counted.input_tokens == MESSAGE_WORDS + 3


def test_max_tokens_cuts_the_reply_and_says_so(
    kind: str, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    message = client_for(kind).messages.create(
        model=model_for(kind), max_tokens=2, messages=MESSAGES
    )

    assert message.stop_reason == "max_tokens"
    assert message.usage.output_tokens == 2
    assert len(message.content[0].text.split()) == 2


# --- request validation -------------------------------------------------------------------

BODY_PROBLEMS: list[tuple[str, dict[str, Any], str]] = [
    ("max_tokens missing", {"max_tokens": None}, "max_tokens"),
    ("max_tokens zero", {"max_tokens": 0}, "max_tokens"),
    ("max_tokens not an integer", {"max_tokens": "ten"}, "max_tokens"),
    ("max_tokens a boolean", {"max_tokens": True}, "max_tokens"),
    ("messages missing", {"messages": None}, "messages"),
    ("messages empty", {"messages": []}, "messages"),
    ("messages not a list", {"messages": "hello"}, "messages"),
    ("a message with a bad role", {"messages": [{"role": "robot", "content": "hi"}]}, "role"),
]


@pytest.mark.parametrize(
    ("change", "field"),
    [(change, field) for _, change, field in BODY_PROBLEMS],
    ids=[label for label, _, _ in BODY_PROBLEMS],
)
def test_a_bad_body_is_refused_with_400_in_the_platform_format(
    kind: str,
    change: dict[str, Any],
    field: str,
    client_for: Callable[..., Any],
    model_for: Callable[[str], str],
) -> None:
    body: dict[str, Any] = {"model": model_for(kind), "max_tokens": 100, "messages": MESSAGES}
    body.update(change)
    body = {key: value for key, value in body.items() if value is not None}

    with pytest.raises(anthropic.BadRequestError) as caught:
        post_messages(client_for(kind), body)

    code, message = error_details(kind, caught.value)
    assert code == INVALID_REQUEST_CODES[kind]
    assert field in message


UNKNOWN_MODEL_ERRORS = {
    "anthropic": (404, "not_found_error"),
    "bedrock": (400, "ValidationException"),
    "bedrock-mantle": (404, "not_found_error"),
    "vertex": (404, "NOT_FOUND"),
    "foundry": (404, "DeploymentNotFound"),
}


def test_a_model_the_path_does_not_serve_is_refused(
    kind: str, client_for: Callable[..., Any]
) -> None:
    with pytest.raises(anthropic.APIStatusError) as caught:
        client_for(kind).messages.create(
            model="claude-imaginary-9", max_tokens=10, messages=MESSAGES
        )

    status, code = UNKNOWN_MODEL_ERRORS[kind]
    assert caught.value.status_code == status
    assert error_details(kind, caught.value)[0] == code


def test_a_known_model_that_is_not_enabled_is_denied_on_bedrock() -> None:
    spec = PathSpec(
        "bedrock-us-east-1",
        "bedrock",
        "us-east-1",
        {"haiku": "us.anthropic.claude-haiku-4-5-20251001-v1:0"},
        disabled_models=frozenset({"us.anthropic.claude-opus-4-6-v1"}),
    )
    with (
        Emulator([spec]) as emu,
        anthropic.AnthropicBedrock(
            aws_access_key=TEST_AWS_ACCESS_KEY_ID,
            aws_secret_key=TEST_AWS_SECRET_ACCESS_KEY,
            aws_region="us-east-1",
            base_url=emu.url("bedrock-us-east-1"),
            max_retries=0,
            timeout=5,
        ) as client,
        pytest.raises(anthropic.PermissionDeniedError) as caught,
    ):
        client.messages.create(
            model="us.anthropic.claude-opus-4-6-v1", max_tokens=10, messages=MESSAGES
        )

    assert error_details("bedrock", caught.value)[0] == "AccessDeniedException"


@pytest.mark.parametrize("kind", ANTHROPIC_SHAPED_KINDS)
@pytest.mark.parametrize("version", ["1999-01-01", Omit()], ids=["unknown", "missing"])
def test_the_anthropic_version_header_is_required_and_checked(
    kind: str, version: Any, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    with pytest.raises(anthropic.BadRequestError) as caught:
        client_for(kind).messages.create(
            model=model_for(kind),
            max_tokens=10,
            messages=MESSAGES,
            extra_headers={"anthropic-version": version},
        )

    code, message = error_details(kind, caught.value)
    assert code == "invalid_request_error"
    assert "anthropic-version" in message


@pytest.mark.parametrize("kind", ["bedrock", "vertex"])
def test_a_wrong_anthropic_version_in_the_body_is_refused(
    kind: str, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    body = {
        "model": model_for(kind),
        "max_tokens": 10,
        "messages": MESSAGES,
        "anthropic_version": "2023-06-01-preview",
    }

    with pytest.raises(anthropic.BadRequestError) as caught:
        post_messages(client_for(kind), body)

    code, message = error_details(kind, caught.value)
    assert code == INVALID_REQUEST_CODES[kind]
    assert "anthropic_version" in message


def raw_post(url: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    return httpx.post(url, content=json.dumps(body), headers=headers, timeout=5)


@pytest.mark.parametrize(
    ("extra", "missing", "fragment"),
    [
        ({}, "anthropic_version", "required key [anthropic_version]"),
        ({"model": "x"}, None, "extraneous key [model]"),
        ({"stream": True}, None, "extraneous key [stream]"),
    ],
    ids=["no version", "model in body", "stream in body"],
)
def test_bedrock_insists_on_its_own_body_shape(
    emu: Emulator,
    model_for: Callable[[str], str],
    extra: dict[str, Any],
    missing: str | None,
    fragment: str,
) -> None:
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10, "messages": MESSAGES}
    body.update(extra)
    if missing:
        del body[missing]
    url = f"{emu.url('bedrock-us-east-1')}/model/{model_for('bedrock')}/invoke"

    response = raw_post(url, body, {"authorization": f"Bearer {TEST_AWS_BEARER_TOKEN}"})

    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"].startswith("ValidationException")
    assert fragment in response.json()["message"]


def test_bedrock_accepts_its_legacy_body_version(
    emu: Emulator, model_for: Callable[[str], str]
) -> None:
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10, "messages": MESSAGES}
    url = f"{emu.url('bedrock-us-east-1')}/model/{model_for('bedrock')}/invoke"

    response = raw_post(url, body, {"authorization": f"Bearer {TEST_AWS_BEARER_TOKEN}"})

    assert response.status_code == 200
    assert response.json()["type"] == "message"


@pytest.mark.parametrize(
    ("body_change", "fragment"),
    [({"anthropic_version": None}, "anthropic_version"), ({"model": "x"}, "model")],
    ids=["no version", "model in body"],
)
def test_vertex_insists_on_its_own_body_shape(
    emu: Emulator, model_for: Callable[[str], str], body_change: dict[str, Any], fragment: str
) -> None:
    body: dict[str, Any] = {
        "anthropic_version": "vertex-2023-10-16",
        "max_tokens": 10,
        "messages": MESSAGES,
    }
    body.update(body_change)
    body = {key: value for key, value in body.items() if value is not None}
    url = (
        f"{emu.url('vertex-us-east5')}/projects/emulator-project/locations/us-east5"
        f"/publishers/anthropic/models/{model_for('vertex')}:rawPredict"
    )

    response = raw_post(url, body, {"authorization": f"Bearer {TEST_GCP_ACCESS_TOKEN}"})

    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert fragment in response.json()["error"]["message"]


# --- authentication -----------------------------------------------------------------------

WRONG_CREDENTIALS: dict[str, tuple[dict[str, Any], int, str]] = {
    "anthropic": ({"api_key": "not-the-key"}, 401, "authentication_error"),
    "bedrock": ({"aws_access_key": "UNKNOWNKEYID00000000"}, 403, "UnrecognizedClientException"),
    "bedrock-mantle": (
        {"aws_access_key": "UNKNOWNKEYID00000000"},
        401,
        "authentication_error",
    ),
    "vertex": ({"access_token": "not-the-token"}, 401, "UNAUTHENTICATED"),
    "foundry": ({"api_key": "not-the-key"}, 401, "401"),
}


def test_a_wrong_credential_is_refused_in_the_platform_format(
    kind: str, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    overrides, status, code = WRONG_CREDENTIALS[kind]

    with pytest.raises(anthropic.APIStatusError) as caught:
        client_for(kind, **overrides).messages.create(
            model=model_for(kind), max_tokens=10, messages=MESSAGES
        )

    assert caught.value.status_code == status
    assert error_details(kind, caught.value)[0] == code


MISSING_CREDENTIAL_STATUS = {
    "anthropic": 401,
    "bedrock": 403,
    "bedrock-mantle": 401,
    "vertex": 401,
    "foundry": 401,
}


def test_a_request_without_credentials_is_refused(
    kind: str, emu: Emulator, path_name: Callable[[str], str]
) -> None:
    url = {
        "anthropic": "/v1/messages",
        "bedrock": "/model/any/invoke",
        "bedrock-mantle": "/v1/messages",
        "vertex": "/projects/p/locations/l/publishers/anthropic/models/m:rawPredict",
        "foundry": "/v1/messages",
    }[kind]

    response = raw_post(emu.url(path_name(kind)) + url, {}, {"anthropic-version": "2023-06-01"})

    assert response.status_code == MISSING_CREDENTIAL_STATUS[kind]
    if kind == "bedrock":
        assert response.headers["x-amzn-ErrorType"].startswith("MissingAuthenticationToken")


@pytest.mark.parametrize(
    ("kind", "overrides"),
    [
        ("bedrock", {"api_key": TEST_AWS_BEARER_TOKEN}),
        ("bedrock-mantle", {"api_key": TEST_AWS_BEARER_TOKEN}),
        ("foundry", {"api_key": None, "azure_ad_token_provider": lambda: TEST_AZURE_TOKEN}),
    ],
    ids=["bedrock API key", "mantle API key", "foundry Entra ID token"],
)
def test_the_alternative_credentials_each_sdk_client_supports_are_accepted(
    kind: str,
    overrides: dict[str, Any],
    client_for: Callable[..., Any],
    model_for: Callable[[str], str],
) -> None:
    if "api_key" in overrides and kind != "foundry":
        overrides = {**overrides, "aws_access_key": None, "aws_secret_key": None}

    message = client_for(kind, **overrides).messages.create(
        model=model_for(kind), max_tokens=10, messages=MESSAGES
    )

    assert message.type == "message"


SIGV4_KINDS = ("bedrock", "bedrock-mantle")


@pytest.mark.parametrize("kind", SIGV4_KINDS)
def test_sigv4_scoped_to_another_region_is_refused(
    kind: str, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    with pytest.raises(anthropic.PermissionDeniedError) as caught:
        client_for(kind, aws_region="eu-west-1").messages.create(
            model=model_for(kind), max_tokens=10, messages=MESSAGES
        )

    code, message = error_details(kind, caught.value)
    assert code == ("InvalidSignatureException" if kind == "bedrock" else "permission_error")
    assert "region" in message


@pytest.mark.parametrize(
    ("kind", "signed_by"),
    [("bedrock", anthropic.AnthropicBedrockMantle), ("bedrock-mantle", anthropic.AnthropicBedrock)],
)
def test_sigv4_scoped_to_another_service_is_refused(
    kind: str,
    signed_by: Any,
    emu: Emulator,
    path_name: Callable[[str], str],
    model_for: Callable[[str], str],
) -> None:
    wrong_client = signed_by(
        aws_access_key=TEST_AWS_ACCESS_KEY_ID,
        aws_secret_key=TEST_AWS_SECRET_ACCESS_KEY,
        aws_region="us-east-1",
        base_url=emu.url(path_name(kind)),
        max_retries=0,
        timeout=5,
    )

    with wrong_client, pytest.raises(anthropic.PermissionDeniedError) as caught:
        wrong_client.messages.create(model=model_for(kind), max_tokens=10, messages=MESSAGES)

    expected_service = "bedrock" if kind == "bedrock" else "bedrock-mantle"
    assert f"correct service: '{expected_service}'" in error_details(kind, caught.value)[1]


@pytest.mark.parametrize("kind", SIGV4_KINDS)
def test_sigv4_signed_with_the_wrong_secret_is_refused(
    kind: str, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    with pytest.raises(anthropic.PermissionDeniedError) as caught:
        client_for(kind, aws_secret_key="a-different-secret").messages.create(
            model=model_for(kind), max_tokens=10, messages=MESSAGES
        )

    assert "signature we calculated does not match" in error_details(kind, caught.value)[1]


def signed_invoke(url: str, body: bytes, *, service: str = "bedrock") -> AWSRequest:
    request = AWSRequest(
        method="POST", url=url, data=body, headers={"content-type": "application/json"}
    )
    credentials = Credentials(TEST_AWS_ACCESS_KEY_ID, TEST_AWS_SECRET_ACCESS_KEY)
    SigV4Auth(credentials, service, "us-east-1").add_auth(request)
    return request


def test_sigv4_does_not_cover_a_body_changed_after_signing(
    emu: Emulator, model_for: Callable[[str], str]
) -> None:
    url = f"{emu.url('bedrock-us-east-1')}/model/{model_for('bedrock')}/invoke"
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10, "messages": MESSAGES}
    signed = signed_invoke(url, json.dumps(body).encode())
    headers = dict(signed.headers.items())

    honest = httpx.post(url, content=json.dumps(body), headers=headers, timeout=5)
    tampered = httpx.post(
        url, content=json.dumps({**body, "max_tokens": 11}), headers=headers, timeout=5
    )

    assert honest.status_code == 200
    assert tampered.status_code == 403
    assert tampered.headers["x-amzn-ErrorType"].startswith("InvalidSignatureException")


def test_sigv4_signed_too_long_ago_has_expired() -> None:
    url = "http://127.0.0.1:1/model/m/invoke"
    signed = signed_invoke(url, b"{}")
    request = Request(
        method="POST",
        target="/model/m/invoke",
        version="HTTP/1.1",
        headers=Headers([("host", "127.0.0.1:1"), *signed.headers.items()]),
        body=b"{}",
    )
    secrets = {TEST_AWS_ACCESS_KEY_ID: TEST_AWS_SECRET_ACCESS_KEY}
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20)

    assert verify_sigv4(request, service="bedrock", region="us-east-1", secrets=secrets)
    with pytest.raises(SigV4Error, match="Signature expired"):
        verify_sigv4(request, service="bedrock", region="us-east-1", secrets=secrets, now=later)


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"project_id": "someone-elses-project"}, 403, "PERMISSION_DENIED"),
        ({"region": "europe-west1"}, 400, "INVALID_ARGUMENT"),
    ],
    ids=["other project", "other location"],
)
def test_vertex_serves_only_its_own_project_and_location(
    overrides: dict[str, Any],
    status: int,
    code: str,
    client_for: Callable[..., Any],
    model_for: Callable[[str], str],
) -> None:
    with pytest.raises(anthropic.APIStatusError) as caught:
        client_for("vertex", **overrides).messages.create(
            model=model_for("vertex"), max_tokens=10, messages=MESSAGES
        )

    assert caught.value.status_code == status
    assert error_details("vertex", caught.value)[0] == code
