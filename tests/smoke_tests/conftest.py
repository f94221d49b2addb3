"""Fixtures for driving the emulator through the real ``anthropic`` SDK clients.

Helpers are fixtures rather than importable functions, because test directories here
are not packages and ``import conftest`` would be ambiguous between them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from anthropic import (
    Anthropic,
    AnthropicBedrock,
    AnthropicBedrockMantle,
    AnthropicFoundry,
    AnthropicVertex,
)

from smoke_tests.emulator import (
    PATH_KINDS,
    TEST_ANTHROPIC_API_KEY,
    TEST_AWS_ACCESS_KEY_ID,
    TEST_AWS_SECRET_ACCESS_KEY,
    TEST_FOUNDRY_API_KEY,
    TEST_GCP_ACCESS_TOKEN,
    TEST_GCP_PROJECT,
    Emulator,
)

CLIENT_TIMEOUT = 5.0
"""Every SDK call in these tests gives up after this long, unless a test sets less."""


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """One emulated path of every kind, with a fixed seed."""
    with Emulator(seed=1234) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """One emulator per test module, for tests that reset its faults after each test."""
    with Emulator(seed=11) as emulator:
        yield emulator


@pytest.fixture
def no_faults(emulator: Emulator) -> Iterator[None]:
    """Clear every fault of the module's emulator after the test."""
    yield
    for spec in emulator.paths:
        emulator.clear_fault(spec.name)


@pytest.fixture(params=PATH_KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    """Each path kind in turn."""
    return str(request.param)


@pytest.fixture
def path_name(emu: Emulator) -> Callable[[str], str]:
    """The name of the emulator's path of a kind."""

    def name_of(kind: str) -> str:
        return next(spec.name for spec in emu.paths if spec.kind == kind)

    return name_of


@pytest.fixture
def model_for(emu: Emulator) -> Callable[[str], str]:
    """The haiku model id that the emulator serves on a kind's path."""

    def model_of(kind: str) -> str:
        return next(spec for spec in emu.paths if spec.kind == kind).models["haiku"]

    return model_of


@pytest.fixture
def client_for(emu: Emulator, path_name: Callable[[str], str]) -> Iterator[Callable[..., Any]]:
    """Build the SDK client of a kind, pointed at the emulator, without retries.

    Keyword arguments replace the constructor's, e.g. to present a wrong credential or
    to point the client at another path's URL. Clients are closed after the test.
    """
    built: list[Any] = []

    def build(kind: str, *, timeout: float = CLIENT_TIMEOUT, **overrides: Any) -> Any:
        client = _construct(kind, timeout, overrides)
        built.append(client)
        return client

    def _construct(kind: str, timeout: float, overrides: dict[str, Any]) -> Any:
        common: dict[str, Any] = {
            "base_url": emu.url(path_name(kind)),
            "max_retries": 0,
            "timeout": timeout,
        }
        aws = {
            "aws_access_key": TEST_AWS_ACCESS_KEY_ID,
            "aws_secret_key": TEST_AWS_SECRET_ACCESS_KEY,
            "aws_region": "us-east-1",
        }
        if kind == "anthropic":
            return Anthropic(**{"api_key": TEST_ANTHROPIC_API_KEY, **common, **overrides})
        if kind == "bedrock":
            return AnthropicBedrock(**{**aws, **common, **overrides})
        if kind == "bedrock-mantle":
            return AnthropicBedrockMantle(**{**aws, **common, **overrides})
        if kind == "vertex":
            gcp = {
                "region": "us-east5",
                "project_id": TEST_GCP_PROJECT,
                "access_token": TEST_GCP_ACCESS_TOKEN,
            }
            return AnthropicVertex(**{**gcp, **common, **overrides})
        if kind == "foundry":
            return AnthropicFoundry(**{"api_key": TEST_FOUNDRY_API_KEY, **common, **overrides})
        raise AssertionError(f"unknown kind {kind!r}")

    yield build
    for client in built:
        client.close()
