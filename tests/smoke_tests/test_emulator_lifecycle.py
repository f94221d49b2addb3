"""Starting, stopping, concurrency, the manifest and the logs of the emulator."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anthropic
import pytest
from anthropic.types import MessageParam

from smoke_tests.emulator import (
    PATH_KINDS,
    TEST_ANTHROPIC_API_KEY,
    Emulator,
    Fault,
    PathSpec,
    all_test_credentials,
    run_forever,
)

MESSAGES: list[MessageParam] = [{"role": "user", "content": "Say hello to the emulator please"}]


def emulator_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "claude-access-emulator"]


def test_all_paths_start_within_half_a_second_and_stop_without_leftovers() -> None:
    threads_before = set(threading.enumerate())

    started = time.monotonic()
    emu = Emulator(admin_port=0).start()
    start_seconds = time.monotonic() - started
    ports = [emu.port(spec.name) for spec in emu.paths]
    emu.stop()

    assert start_seconds < 0.5
    assert len(ports) == len(PATH_KINDS) == len(set(ports))
    assert set(threading.enumerate()) <= threads_before
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_stopping_releases_blackholed_requests_and_open_connections() -> None:
    emu = Emulator(["anthropic"], faults={"anthropic": Fault(blackhole=True)}).start()
    client = anthropic.Anthropic(
        api_key=TEST_ANTHROPIC_API_KEY, base_url=emu.url("anthropic"), max_retries=0, timeout=10
    )

    with client, ThreadPoolExecutor(max_workers=1) as pool:
        held = pool.submit(
            lambda: client.messages.create(
                model="claude-haiku-4-5", max_tokens=5, messages=MESSAGES
            )
        )
        time.sleep(0.2)
        started = time.monotonic()
        emu.stop()
        stop_seconds = time.monotonic() - started
        with pytest.raises(anthropic.APIConnectionError):
            held.result(timeout=5)

    assert stop_seconds < 1.0
    assert emulator_threads() == []


def test_tens_of_concurrent_requests_are_served_side_by_side(
    emu: Emulator, client_for: Callable[..., Any], model_for: Callable[[str], str]
) -> None:
    for spec in emu.paths:
        emu.set_fault(spec.name, Fault(latency_ms=200))
    clients: dict[str, Any] = {kind: client_for(kind) for kind in PATH_KINDS}
    jobs = [PATH_KINDS[index % len(PATH_KINDS)] for index in range(40)]

    def call(kind: str) -> str:
        message = clients[kind].messages.create(
            model=model_for(kind), max_tokens=20, messages=MESSAGES
        )
        return str(message.type)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(call, jobs, timeout=10))
    elapsed = time.monotonic() - started

    assert results == ["message"] * 40
    # Served one after another, 40 requests would take 8 seconds.
    assert elapsed < 3.0


def test_the_manifest_lists_every_path_in_priority_order(emu: Emulator) -> None:
    manifest = emu.manifest(stack="dev")

    assert manifest["schemaVersion"] == 1
    assert manifest["stack"] == "dev"
    assert set(manifest["prices"]) == {"haiku", "sonnet", "opus"}
    paths = manifest["paths"]
    assert [path["name"] for path in paths] == [
        "bedrock-us-east-1",
        "bedrock-mantle-us-east-1",
        "anthropic",
        "vertex-us-east5",
        "foundry",
    ]
    assert [path["kind"] for path in paths] == list(PATH_KINDS)
    priorities = [path["priority"] for path in paths]
    assert priorities == sorted(set(priorities))
    for path in paths:
        assert path["baseUrl"] == emu.url(path["name"])
        assert path["auth"]["type"] == "emulator"
        assert set(path["models"]) == {"haiku", "sonnet", "opus"}
    assert paths[2]["region"] is None
    assert paths[3]["project"] == "emulator-project"
    assert paths[4]["resource"] == "emulator-foundry"


def client_from_manifest_entry(entry: dict[str, Any]) -> Any:
    """Build a client from a manifest entry alone, as the smoke tests will."""
    auth, common = entry["auth"], {"base_url": entry["baseUrl"], "max_retries": 0, "timeout": 5}
    if entry["kind"] == "bedrock":
        return anthropic.AnthropicBedrock(
            aws_access_key=auth["accessKeyId"],
            aws_secret_key=auth["secretAccessKey"],
            aws_region=entry["region"],
            **common,
        )
    if entry["kind"] == "bedrock-mantle":
        return anthropic.AnthropicBedrockMantle(
            aws_access_key=auth["accessKeyId"],
            aws_secret_key=auth["secretAccessKey"],
            aws_region=entry["region"],
            **common,
        )
    if entry["kind"] == "vertex":
        return anthropic.AnthropicVertex(
            region=entry["region"],
            project_id=entry["project"],
            access_token=auth["token"],
            **common,
        )
    if entry["kind"] == "foundry":
        return anthropic.AnthropicFoundry(api_key=auth["apiKey"], **common)
    return anthropic.Anthropic(api_key=auth["apiKey"], **common)


def test_a_written_manifest_is_enough_to_call_every_path(emu: Emulator, tmp_path: Path) -> None:
    target = tmp_path / "paths.json"
    emu.write_manifest(target, stack="ci")

    manifest = json.loads(target.read_text())
    answers = {}
    for entry in manifest["paths"]:
        with client_from_manifest_entry(entry) as client:
            message = client.messages.create(
                model=entry["models"]["sonnet"], max_tokens=20, messages=MESSAGES
            )
            answers[entry["name"]] = entry["name"] in message.content[0].text

    assert manifest["stack"] == "ci"
    assert answers == dict.fromkeys(answers, True)
    assert len(answers) == len(PATH_KINDS)


def test_no_test_credential_reaches_the_logs(
    caplog: pytest.LogCaptureFixture,
    emu: Emulator,
    client_for: Callable[..., Any],
    model_for: Callable[[str], str],
) -> None:
    caplog.set_level(logging.DEBUG)

    for kind in PATH_KINDS:
        client_for(kind).messages.create(model=model_for(kind), max_tokens=5, messages=MESSAGES)
        with pytest.raises(anthropic.APIStatusError):
            client_for(kind).messages.create(model="no-such-model", max_tokens=5, messages=MESSAGES)
    emu.set_fault("anthropic", Fault(error_status=500))
    emu.manifest()

    # Only the emulator's own records: the SDK's Foundry client logs its key headers at DEBUG.
    emulator_records = [r for r in caplog.records if r.name.startswith("smoke_tests.emulator")]
    emulator_text = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''}" for record in emulator_records
    )
    assert any("answered" in record.getMessage() for record in emulator_records)
    for credential in all_test_credentials():
        assert credential not in emulator_text


def test_run_forever_serves_writes_the_manifest_and_returns_when_stopped(tmp_path: Path) -> None:
    lines: list[str] = []
    stop = threading.Event()
    manifest_path = tmp_path / "manifest.json"
    runner = threading.Thread(
        target=run_forever,
        kwargs={
            "kinds": ["anthropic", "vertex"],
            "manifest_path": manifest_path,
            "stack": "local",
            "echo": lines.append,
            "stop": stop,
        },
    )
    runner.start()
    try:
        deadline = time.monotonic() + 5
        while not any("Serving" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.02)
        manifest = json.loads(manifest_path.read_text())
        entry = manifest["paths"][0]
        with anthropic.Anthropic(
            api_key=entry["auth"]["apiKey"], base_url=entry["baseUrl"], max_retries=0, timeout=5
        ) as client:
            message = client.messages.create(
                model=entry["models"]["haiku"], max_tokens=5, messages=MESSAGES
            )
    finally:
        stop.set()
        runner.join(timeout=5)

    assert not runner.is_alive()
    assert message.type == "message"
    assert [path["name"] for path in manifest["paths"]] == ["anthropic", "vertex-us-east5"]
    assert any(entry["baseUrl"] in line for line in lines)
    assert any("admin" in line for line in lines)
    assert emulator_threads() == []


def test_the_emulator_refuses_impossible_setups() -> None:
    spec = PathSpec("anthropic", "anthropic", None, {"haiku": "claude-haiku-4-5"})

    with pytest.raises(ValueError, match="unique"):
        Emulator([spec, spec])
    with pytest.raises(ValueError, match="kind"):
        Emulator(["openai"])
    with pytest.raises(ValueError, match="nowhere"):
        Emulator(["anthropic"], faults={"nowhere": Fault()})
    with pytest.raises(ValueError, match="region"):
        PathSpec("bedrock-x", "bedrock", None, {"haiku": "m"})
    with pytest.raises(RuntimeError, match="not running"):
        Emulator(["anthropic"]).url("anthropic")


def test_an_unknown_path_name_is_an_error_that_lists_the_known_ones(emu: Emulator) -> None:
    with pytest.raises(ValueError, match="bedrock-us-east-1"):
        emu.set_fault("bedrock-eu-west-1", Fault(refuse=True))


def test_a_path_can_listen_on_a_chosen_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    spec = PathSpec("anthropic", "anthropic", None, {"haiku": "claude-haiku-4-5"}, port=free_port)

    with Emulator([spec]) as emu:
        assert emu.url("anthropic") == f"http://127.0.0.1:{free_port}"


def exchange(port: int, raw: bytes) -> bytes:
    """Send raw bytes to a port and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(raw)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    return received


def test_a_request_that_is_not_http_gets_400_and_a_closed_connection(emu: Emulator) -> None:
    answer = exchange(emu.port("anthropic"), b"HELLO\r\n\r\n")

    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"connection: close" in answer


def test_a_chunked_request_body_is_read_whole(emu: Emulator) -> None:
    body = json.dumps({"model": "claude-haiku-4-5", "max_tokens": 5, "messages": MESSAGES}).encode()
    half = len(body) // 2
    chunks = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (
        half,
        body[:half],
        len(body) - half,
        body[half:],
    )
    head = (
        "POST /v1/messages HTTP/1.1\r\nhost: localhost\r\ntransfer-encoding: chunked\r\n"
        f"x-api-key: {TEST_ANTHROPIC_API_KEY}\r\nanthropic-version: 2023-06-01\r\n"
        "connection: close\r\n\r\n"
    ).encode()

    answer = exchange(emu.port("anthropic"), head + chunks)

    assert answer.startswith(b"HTTP/1.1 200 ")
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["type"] == "message"
