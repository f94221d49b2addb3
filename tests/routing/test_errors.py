"""Classifying what a call to Claude raised, on every path kind of the emulator."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx2
import pytest

from routing.clients import ClientFactory, CredentialError
from routing.errors import Category, classify, hint
from routing.manifest import load_manifest
from smoke_tests.emulator import PATH_KINDS, Emulator, Fault


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(seed=3) as emu:
        yield emu


@pytest.fixture(scope="module")
def factory() -> Iterator[ClientFactory]:
    built = ClientFactory(timeout=0.5, allow_emulator=True)
    yield built
    built.close()


def failure_of(
    emulator: Emulator, factory: ClientFactory, kind: str, fault: Fault, *, stream: bool
) -> Any:
    path = next(p for p in load_manifest(emulator.manifest()).ordered() if p.kind == kind)
    client = factory.client(path)
    params: dict[str, Any] = {
        "model": path.models["haiku"],
        "max_tokens": 32,
        "messages": [{"role": "user", "content": "one two three four five six seven"}],
    }
    emulator.set_fault(path.name, fault)
    try:
        if stream:
            with client.messages.stream(**params) as events:
                for _ in events:
                    pass
        else:
            client.messages.create(**params)
    except Exception as error:
        return classify(error)
    finally:
        emulator.clear_fault(path.name)
    raise AssertionError(f"{kind}: the call succeeded under {fault}")


CASES = [
    (Fault(error_status=401), False, Category.AUTHENTICATION),
    (Fault(error_status=403), False, Category.PERMISSION),
    (Fault(error_status=404), False, Category.NOT_FOUND),
    (Fault(error_status=400), False, Category.BAD_REQUEST),
    (Fault(error_status=429), True, Category.RATE_LIMITED),
    (Fault(error_status=529), False, Category.OVERLOADED),
    (Fault(error_status=503), False, Category.OVERLOADED),
    (Fault(error_status=500), True, Category.SERVER_ERROR),
    (Fault(refuse=True), False, Category.REFUSED),
    (Fault(blackhole=True), True, Category.TIMEOUT),
    (Fault(cut_after_events=2), True, Category.STREAM_BROKEN),
    (Fault(malformed=True), False, Category.MALFORMED),
    (Fault(malformed=True), True, Category.MALFORMED),
]


@pytest.mark.parametrize("kind", PATH_KINDS)
@pytest.mark.parametrize(("fault", "stream", "expected"), CASES)
def test_each_fault_is_classified_on_every_path_kind(
    emulator: Emulator,
    factory: ClientFactory,
    kind: str,
    fault: Fault,
    stream: bool,
    expected: Category,
) -> None:
    failure = failure_of(emulator, factory, kind, fault, stream=stream)
    assert failure.category is expected
    if fault.error_status is not None:
        assert failure.status == fault.error_status
        assert failure.detail.startswith(f"HTTP {fault.error_status}")
    assert failure.caller_error is (expected is Category.BAD_REQUEST)


def _wrapped(inner: BaseException) -> anthropic.APIConnectionError:
    request = httpx2.Request("POST", "https://example.invalid/v1/messages")
    try:
        try:
            raise inner
        except BaseException as cause:
            raise httpx2.ConnectError("connect failed", request=request) from cause
    except httpx2.ConnectError as transport:
        try:
            raise anthropic.APIConnectionError(request=request) from transport
        except anthropic.APIConnectionError as error:
            return error


def test_dns_and_tls_failures_are_told_apart_from_refusals() -> None:
    assert classify(_wrapped(socket.gaierror(-2, "Name or service not known"))).category is (
        Category.DNS
    )
    assert classify(_wrapped(ssl.SSLCertVerificationError("bad cert"))).category is Category.TLS
    assert classify(_wrapped(ConnectionRefusedError())).category is Category.REFUSED
    assert classify(_wrapped(OSError("no route to host"))).category is Category.NETWORK


def test_credential_errors_are_their_own_category() -> None:
    failure = classify(CredentialError("path 'x': no AWS credentials"))
    assert failure.category is Category.CREDENTIALS
    assert "no AWS credentials" in failure.detail


def test_hints_name_the_platform_specific_place_to_look() -> None:
    assert "Model Garden" in hint("vertex", Category.NOT_FOUND)
    assert "Marketplace" in hint("foundry", Category.NOT_FOUND)
    assert "region" in hint("bedrock", Category.PERMISSION)
    for category in Category:
        for kind in PATH_KINDS:
            assert hint(kind, category), (kind, category)


def test_request_ids_are_kept(emulator: Emulator, factory: ClientFactory) -> None:
    failure = failure_of(emulator, factory, "anthropic", Fault(error_status=500), stream=False)
    assert failure.request_id
