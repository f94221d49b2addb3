"""Faults injected into one path are what its SDK client observes, and nothing else is."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anthropic
import httpx
import httpx2
import pytest
from anthropic.types import MessageParam
from botocore.eventstream import ChecksumMismatch

from smoke_tests.emulator import (
    NO_FAULT,
    TEST_ANTHROPIC_API_KEY,
    TEST_GCP_ACCESS_TOKEN,
    TEST_GCP_PROJECT,
    Emulator,
    Fault,
)

MESSAGES: list[MessageParam] = [{"role": "user", "content": "Say hello to the emulator please"}]


def ask(client: Any, model: str) -> Any:
    return client.messages.create(model=model, max_tokens=50, messages=MESSAGES)


def outcome(client: Any, model: str) -> str:
    """``ok``, or the status code of the error, for one request."""
    try:
        ask(client, model)
    except anthropic.APIStatusError as error:
        return str(error.status_code)
    return "ok"


# --- latency ------------------------------------------------------------------------------


def test_latency_delays_only_the_path_it_is_set_on(
    emu: Emulator,
    client_for: Callable[..., Any],
    model_for: Callable[[str], str],
    path_name: Callable[[str], str],
) -> None:
    slow, fast = client_for("anthropic"), client_for("bedrock")
    # Warm both clients up, so that only the emulator's delay is measured.
    ask(slow, model_for("anthropic"))
    ask(fast, model_for("bedrock"))
    emu.set_fault(path_name("anthropic"), Fault(latency_ms=600, jitter_ms=50))

    started = time.monotonic()
    ask(slow, model_for("anthropic"))
    slow_seconds = time.monotonic() - started
    started = time.monotonic()
    ask(fast, model_for("bedrock"))
    fast_seconds = time.monotonic() - started

    assert 0.55 <= slow_seconds < 3.0
    assert fast_seconds < 0.5


# --- errors -------------------------------------------------------------------------------


def test_an_error_rate_fails_that_share_of_requests_and_repeats_with_the_seed(
    emu: Emulator, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    client, model = client_for("foundry"), model_for("foundry")
    fault = Fault(error_status=529, error_rate=0.5)

    emu.set_fault("foundry", fault)
    first = [outcome(client, model) for _ in range(40)]
    emu.set_fault("foundry", fault)
    second = [outcome(client, model) for _ in range(40)]

    assert set(first) == {"ok", "529"}
    assert 8 <= first.count("529") <= 32
    assert first == second


def test_a_different_seed_gives_a_different_error_sequence(model_for: Callable[[str], str]) -> None:
    fault = Fault(error_status=429, error_rate=0.5)
    sequences = []
    for seed in (1, 2):
        with (
            Emulator(["anthropic"], seed=seed, faults={"anthropic": fault}) as emu,
            anthropic.Anthropic(
                api_key=TEST_ANTHROPIC_API_KEY,
                base_url=emu.url("anthropic"),
                max_retries=0,
                timeout=5,
            ) as client,
        ):
            sequences.append([outcome(client, model_for("anthropic")) for _ in range(30)])

    assert sequences[0] != sequences[1]


INJECTED_ERRORS: list[tuple[str, int, type[anthropic.APIStatusError], str]] = [
    ("anthropic", 529, anthropic.OverloadedError, "overloaded_error"),
    ("bedrock-mantle", 529, anthropic.OverloadedError, "overloaded_error"),
    ("foundry", 429, anthropic.RateLimitError, "rate_limit_error"),
    ("bedrock", 429, anthropic.RateLimitError, "ThrottlingException"),
    ("bedrock", 503, anthropic.ServiceUnavailableError, "ServiceUnavailableException"),
    ("bedrock", 500, anthropic.InternalServerError, "InternalServerException"),
    ("vertex", 429, anthropic.RateLimitError, "RESOURCE_EXHAUSTED"),
    ("vertex", 503, anthropic.ServiceUnavailableError, "UNAVAILABLE"),
]


@pytest.mark.parametrize(
    ("kind", "status", "error_class", "code"),
    INJECTED_ERRORS,
    ids=[f"{kind}-{status}" for kind, status, _, _ in INJECTED_ERRORS],
)
def test_an_injected_error_comes_in_the_platform_format(
    kind: str,
    status: int,
    error_class: type[anthropic.APIStatusError],
    code: str,
    emu: Emulator,
    client_for: Callable[..., Any],
    model_for: Callable[[str], str],
    path_name: Callable[[str], str],
) -> None:
    emu.set_fault(path_name(kind), Fault(error_status=status))

    with pytest.raises(error_class) as caught:
        ask(client_for(kind), model_for(kind))

    body: Any = caught.value.body
    if kind == "bedrock":
        assert caught.value.response.headers["x-amzn-ErrorType"].split(":")[0] == code
        assert body["message"]
    elif kind == "vertex":
        assert body["error"] == {
            "code": status,
            "message": body["error"]["message"],
            "status": code,
        }
    else:
        assert body["error"]["type"] == code
    assert caught.value.status_code == status


def test_a_fault_changed_while_running_takes_effect_on_the_next_request(
    emu: Emulator, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    client, model = client_for("bedrock"), model_for("bedrock")
    name = "bedrock-us-east-1"

    before = outcome(client, model)
    emu.set_fault(name, Fault(error_status=429))
    throttled = outcome(client, model)
    emu.set_fault(name, Fault(error_status=503))
    unavailable = outcome(client, model)
    emu.clear_fault(name)
    after = outcome(client, model)

    assert [before, throttled, unavailable, after] == ["ok", "429", "503", "ok"]
    assert emu.fault(name) == NO_FAULT


def test_faults_given_at_start_apply_from_the_first_request(
    model_for: Callable[[str], str],
) -> None:
    with Emulator(["vertex"], faults={"vertex-us-east5": Fault(error_status=429)}) as emu:
        client = anthropic.AnthropicVertex(
            region="us-east5",
            project_id=TEST_GCP_PROJECT,
            access_token=TEST_GCP_ACCESS_TOKEN,
            base_url=emu.url("vertex-us-east5"),
            max_retries=0,
            timeout=5,
        )
        with client:
            assert outcome(client, model_for("vertex")) == "429"


# --- blackhole and refuse -----------------------------------------------------------------


def test_a_blackhole_makes_the_client_time_out_while_other_paths_answer(
    emu: Emulator, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    emu.set_fault("vertex-us-east5", Fault(blackhole=True))

    started = time.monotonic()
    with pytest.raises(anthropic.APITimeoutError):
        ask(client_for("vertex", timeout=0.5), model_for("vertex"))
    waited = time.monotonic() - started

    assert 0.4 <= waited < 3.0
    assert outcome(client_for("anthropic"), model_for("anthropic")) == "ok"


def test_a_blackhole_answers_held_requests_once_cleared(
    emu: Emulator, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    emu.set_fault("anthropic", Fault(blackhole=True))
    client = client_for("anthropic", timeout=5)

    with ThreadPoolExecutor(max_workers=1) as pool:
        held = pool.submit(ask, client, model_for("anthropic"))
        time.sleep(0.3)
        still_waiting = not held.done()
        emu.clear_fault("anthropic")
        message = held.result(timeout=5)

    assert still_waiting
    assert message.type == "message"


def test_refuse_closes_the_port_and_clearing_reopens_the_same_port(
    emu: Emulator, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    client = client_for("foundry")
    port = emu.port("foundry")
    assert outcome(client, model_for("foundry")) == "ok"

    emu.set_fault("foundry", Fault(refuse=True))
    with pytest.raises(anthropic.APIConnectionError) as caught:
        ask(client, model_for("foundry"))
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    emu.clear_fault("foundry")

    assert not isinstance(caught.value, anthropic.APITimeoutError)
    assert emu.port("foundry") == port
    assert outcome(client, model_for("foundry")) == "ok"


def test_refuse_affects_only_its_own_path(
    emu: Emulator, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    emu.set_fault("bedrock-us-east-1", Fault(refuse=True))

    answers = {
        kind: outcome(client_for(kind), model_for(kind))
        for kind in ("anthropic", "bedrock-mantle", "vertex", "foundry")
    }

    assert answers == dict.fromkeys(answers, "ok")


# --- streams and bodies -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "events_before_cut"),
    # The SDK drops `ping` events, which Bedrock does not send.
    [("anthropic", 2), ("bedrock", 3), ("bedrock-mantle", 2), ("vertex", 2), ("foundry", 2)],
)
def test_a_stream_cut_breaks_off_mid_stream(
    kind: str,
    events_before_cut: int,
    emu: Emulator,
    client_for: Callable[..., Any],
    model_for: Callable[[str], str],
    path_name: Callable[[str], str],
) -> None:
    emu.set_fault(path_name(kind), Fault(cut_after_events=3))
    received: list[str] = []

    with (
        pytest.raises(httpx2.RemoteProtocolError, match="incomplete chunked read"),
        client_for(kind).messages.create(
            model=model_for(kind), max_tokens=50, messages=MESSAGES, stream=True
        ) as stream,
    ):
        received.extend(event.type for event in stream)

    assert len(received) == events_before_cut
    assert received[0] == "message_start"


def test_a_stream_cut_leaves_unstreamed_answers_whole(
    emu: Emulator, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    emu.set_fault("anthropic", Fault(cut_after_events=1))

    assert outcome(client_for("anthropic"), model_for("anthropic")) == "ok"


@pytest.mark.parametrize("kind", ["anthropic", "bedrock", "vertex"])
def test_a_malformed_body_cannot_be_decoded(
    kind: str,
    emu: Emulator,
    client_for: Callable[..., Any],
    model_for: Callable[[str], str],
    path_name: Callable[[str], str],
) -> None:
    emu.set_fault(path_name(kind), Fault(malformed=True))

    with pytest.raises(json.JSONDecodeError):
        ask(client_for(kind), model_for(kind))


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("anthropic", json.JSONDecodeError),
        ("vertex", json.JSONDecodeError),
        ("bedrock", ChecksumMismatch),
    ],
)
def test_a_malformed_stream_cannot_be_decoded(
    kind: str,
    error: type[Exception],
    emu: Emulator,
    client_for: Callable[..., Any],
    model_for: Callable[[str], str],
    path_name: Callable[[str], str],
) -> None:
    emu.set_fault(path_name(kind), Fault(malformed=True))

    with (
        pytest.raises(error),
        client_for(kind).messages.stream(
            model=model_for(kind), max_tokens=50, messages=MESSAGES
        ) as stream,
    ):
        list(stream.text_stream)


def test_a_malformed_fault_leaves_error_answers_intact(
    emu: Emulator, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    emu.set_fault("anthropic", Fault(malformed=True, error_status=429))

    assert outcome(client_for("anthropic"), model_for("anthropic")) == "429"


# --- the admin listener -------------------------------------------------------------------


def test_the_admin_route_sets_and_clears_faults_while_running(
    model_for: Callable[[str], str],
) -> None:
    with Emulator(["anthropic"], admin_port=0) as emu:
        assert emu.admin_url is not None
        admin = httpx.Client(base_url=emu.admin_url, timeout=5)
        client = anthropic.Anthropic(
            api_key=TEST_ANTHROPIC_API_KEY,
            base_url=emu.url("anthropic"),
            max_retries=0,
            timeout=5,
        )
        with admin, client:
            put = admin.put("/faults/anthropic", json={"errorStatus": 529})
            during = outcome(client, model_for("anthropic"))
            shown = admin.get("/faults/anthropic").json()
            deleted = admin.delete("/faults/anthropic")
            after = outcome(client, model_for("anthropic"))
            stats = admin.get("/stats").json()

    assert put.status_code == 200
    assert during == "529"
    assert shown["fault"]["errorStatus"] == 529
    assert deleted.status_code == 200
    assert after == "ok"
    assert stats["anthropic"] == {"requests": 2, "statuses": {"200": 1, "529": 1}}


@pytest.mark.parametrize(
    ("method", "route", "payload", "status"),
    [
        ("PUT", "/faults/anthropic", {"errorRate": 3}, 400),
        ("PUT", "/faults/anthropic", {"latency": 10}, 400),
        ("PUT", "/faults/nowhere", {}, 404),
        ("GET", "/no-such-route", None, 404),
    ],
    ids=["bad value", "unknown key", "unknown path", "unknown route"],
)
def test_the_admin_route_refuses_bad_requests(
    method: str, route: str, payload: Any, status: int
) -> None:
    with Emulator(["anthropic"], admin_port=0) as emu, httpx.Client(timeout=5) as admin:
        response = admin.request(method, f"{emu.admin_url}{route}", json=payload)
        fault = emu.fault("anthropic")

    assert response.status_code == status
    assert "error" in response.json()
    assert fault == NO_FAULT


# --- the fault value ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        {"latency_ms": -1},
        {"jitter_ms": "5"},
        {"error_status": 200},
        {"error_status": 600},
        {"error_rate": 1.5},
        {"cut_after_events": -1},
        {"blackhole": "yes"},
    ],
)
def test_a_fault_with_an_impossible_value_is_refused(arguments: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(arguments))):
        Fault(**arguments)


def test_a_fault_survives_the_admin_json_round_trip() -> None:
    fault = Fault(latency_ms=5, jitter_ms=1, error_status=503, error_rate=0.25, cut_after_events=2)

    assert Fault.from_json(json.loads(json.dumps(fault.to_json()))) == fault


def test_set_fault_is_safe_from_many_threads_at_once(
    emu: Emulator, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    client, model = client_for("anthropic"), model_for("anthropic")
    stop = threading.Event()

    def flip() -> None:
        while not stop.is_set():
            emu.set_fault("anthropic", Fault(error_status=529))
            emu.clear_fault("anthropic")

    with ThreadPoolExecutor(max_workers=3) as pool:
        flippers = [pool.submit(flip) for _ in range(2)]
        outcomes = [outcome(client, model) for _ in range(20)]
        stop.set()
        for flipper in flippers:
            flipper.result(timeout=5)
    emu.clear_fault("anthropic")

    assert set(outcomes) <= {"ok", "529"}
    assert outcome(client, model) == "ok"
