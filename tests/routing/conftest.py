"""Fixtures for the router, breaker and drill tests: an emulator and routers over it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from routing.drill import first_in_order
from routing.manifest import Manifest, load_manifest
from routing.router import Router
from smoke_tests.emulator import Emulator

T = TypeVar("T")

MESSAGES = [{"role": "user", "content": "one two three four five"}]
"""A prompt of five words: the emulator counts five input tokens."""


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on a loop of its own, leaving the thread's event loop alone.

    ``asyncio.run`` would leave the main thread with no current loop, which breaks later
    tests whose code asks for one (Pulumi's mocks do).
    """
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """One emulated path of every kind, in the default order: bedrock, bedrock-mantle,
    anthropic, vertex, foundry."""
    with Emulator(seed=11) as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def _clear_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts and ends with healthy paths."""
    yield
    if "emu" in request.fixturenames:
        emulator: Emulator = request.getfixturevalue("emu")
        for spec in emulator.paths:
            emulator.clear_fault(spec.name)


@pytest.fixture
def manifest(emu: Emulator) -> Manifest:
    return load_manifest(emu.manifest())


@pytest.fixture
def names(manifest: Manifest) -> list[str]:
    """Path names in priority order."""
    return [entry.name for entry in manifest.ordered()]


@pytest.fixture
def make_router(manifest: Manifest) -> Iterator[Callable[..., Router]]:
    """Build routers over the emulator (closed after the test); ``first=`` reorders paths."""
    built: list[Router] = []

    def make(*, first: str | None = None, **options: Any) -> Router:
        source = manifest if first is None else first_in_order(manifest, first)
        options.setdefault("allow_emulator", True)
        options.setdefault("first_byte_timeout", 2.0)
        router = Router(source, **options)
        built.append(router)
        return router

    yield make
    for router in built:
        router.close()
