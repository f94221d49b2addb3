"""Client-side faults under the real SDK clients: each mode is classified as the real
failure would be, on every path kind, and clearing a fault restores the path."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from routing.clients import ClientFactory
from routing.errors import Category, classify
from routing.faults import FaultInjector, FaultMode
from routing.manifest import Manifest
from smoke_tests.emulator import PATH_KINDS, Emulator


@pytest.fixture
def faults() -> FaultInjector:
    return FaultInjector()


@pytest.fixture
def factory(faults: FaultInjector) -> Iterator[ClientFactory]:
    built = ClientFactory(timeout=0.3, allow_emulator=True, wrap_transport=faults.wrap)
    yield built
    built.close()


def call(factory: ClientFactory, manifest: Manifest, kind: str) -> Any:
    entry = next(entry for entry in manifest.ordered() if entry.kind == kind)
    return factory.client(entry).messages.create(
        model=entry.models["haiku"], max_tokens=8, messages=[{"role": "user", "content": "hi"}]
    )


@pytest.mark.parametrize("kind", PATH_KINDS)
@pytest.mark.parametrize(
    ("mode", "category", "status"),
    [
        ("refuse", Category.REFUSED, None),
        ("status:529", Category.OVERLOADED, 529),
        ("status:429", Category.RATE_LIMITED, 429),
        ("status:403", Category.PERMISSION, 403),
    ],
)
def test_each_mode_looks_like_the_real_failure_on_every_kind(
    emu: Emulator,
    manifest: Manifest,
    factory: ClientFactory,
    faults: FaultInjector,
    kind: str,
    mode: str,
    category: Category,
    status: int | None,
) -> None:
    name = next(entry.name for entry in manifest.ordered() if entry.kind == kind)
    faults.set(name, FaultMode.parse(mode))
    before = emu.stats()[name]["requests"]
    with pytest.raises(Exception) as raised:
        call(factory, manifest, kind)
    failure = classify(raised.value)
    assert (failure.category, failure.status) == (category, status)
    assert emu.stats()[name]["requests"] == before, "the fault is on the client side"
    faults.clear(name)
    assert call(factory, manifest, kind).content[0].text


def test_a_blackhole_answers_nothing_until_the_read_timeout(
    manifest: Manifest, factory: ClientFactory, faults: FaultInjector
) -> None:
    faults.set(manifest.ordered()[2].name, FaultMode.parse("blackhole"))
    started = time.perf_counter()
    with pytest.raises(Exception) as raised:
        call(factory, manifest, manifest.ordered()[2].kind)
    assert classify(raised.value).category is Category.TIMEOUT
    assert 0.25 <= time.perf_counter() - started < 3.0


def test_other_paths_are_untouched(
    manifest: Manifest, factory: ClientFactory, faults: FaultInjector
) -> None:
    faults.set(manifest.ordered()[0].name, FaultMode.parse("refuse"))
    assert call(factory, manifest, manifest.ordered()[1].kind).content[0].text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("refuse", FaultMode("refuse")),
        ("blackhole", FaultMode("blackhole")),
        ("status:529", FaultMode("status", status=529)),
        ("slow:250@0.03", FaultMode("slow", delay=0.25, share=0.03)),
    ],
)
def test_modes_parse_and_print_back(text: str, expected: FaultMode) -> None:
    assert FaultMode.parse(text) == expected
    assert str(FaultMode.parse(text)) == text


@pytest.mark.parametrize("text", ["", "status:200", "status:abc", "slow:10", "drop"])
def test_bad_modes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="fault mode"):
        FaultMode.parse(text)
