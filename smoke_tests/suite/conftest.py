"""Options and fixtures of the smoke suite: the manifest, the selection, and one run.

The checks are run once per session, all paths in parallel under the same deadlines as
``claude-access smoke``; each test then reports one path, tier and check of that run.
Running each test's call on its own would serialise the paths and lose the run's
deadline, which is what on-call relies on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from smoke_tests.checks import Case
from smoke_tests.runner import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, SmokeRun

_CASES = pytest.StashKey[list[Case]]()
_MANIFEST = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("claude-access", "claude-access smoke tests")
    group.addoption(
        "--claude-manifest",
        metavar="FILE",
        help="The paths manifest to check (the claudePaths output, as JSON).",
    )
    group.addoption(
        "--claude-offline",
        action="store_true",
        help="Allow the emulator's test credentials, for a manifest of the local emulator.",
    )
    group.addoption(
        "--claude-path",
        action="append",
        default=[],
        metavar="NAME",
        help="Check only this path (repeatable).",
    )
    group.addoption(
        "--claude-tier",
        action="append",
        default=[],
        metavar="TIER",
        help="Check only this tier (repeatable).",
    )
    group.addoption(
        "--claude-timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"Seconds each call may take (default {DEFAULT_TIMEOUT:g}).",
    )
    group.addoption(
        "--claude-deadline",
        type=float,
        default=DEFAULT_DEADLINE,
        metavar="SECONDS",
        help=f"Seconds the whole run may take (default {DEFAULT_DEADLINE:g}).",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Read and check the manifest once, so that a bad one stops pytest before it collects."""
    file = config.getoption("claude_manifest", default=None)
    if file is None:
        return
    from routing.manifest import ManifestError, load_manifest
    from smoke_tests.runner import SelectionError, prepare

    for option in ("claude_timeout", "claude_deadline"):
        value = config.getoption(option)
        if not value > 0:
            flag = "--" + option.replace("_", "-")
            raise pytest.UsageError(f"{flag} must be a number of seconds above 0, not {value!r}")
    try:
        manifest = load_manifest(file)
        cases = prepare(
            manifest,
            paths=config.getoption("claude_path"),
            tiers=config.getoption("claude_tier"),
            offline=config.getoption("claude_offline"),
            offline_option="--claude-offline",
        )
    except (ManifestError, SelectionError) as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[_MANIFEST] = manifest
    config.stash[_CASES] = cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per path, tier and check of the manifest."""
    if "smoke_case" not in metafunc.fixturenames:
        return
    cases = metafunc.config.stash.get(_CASES, None)
    if cases is None:
        skip = pytest.mark.skip(reason="no manifest given; pass --claude-manifest FILE")
        metafunc.parametrize("smoke_case", [pytest.param(None, marks=skip)], ids=["no-manifest"])
        return
    metafunc.parametrize(
        "smoke_case", cases, ids=[f"{case.path}-{case.tier}-{case.check}" for case in cases]
    )


@pytest.fixture(scope="session")
def smoke_run(
    pytestconfig: pytest.Config, record_testsuite_property: Callable[[str, object], None]
) -> SmokeRun:
    """Every check of the selection, run once for the whole session.

    The run's facts go into the JUnit report as test suite properties; per-test
    properties are left out because the default JUnit family (xunit2) does not allow them.
    """
    from smoke_tests.runner import run

    cases: list[Case] = pytestconfig.stash[_CASES]
    result = run(
        pytestconfig.stash[_MANIFEST],
        cases,
        timeout=pytestconfig.getoption("claude_timeout"),
        deadline=pytestconfig.getoption("claude_deadline"),
        allow_emulator=pytestconfig.getoption("claude_offline"),
    )
    record_testsuite_property("claude_stack", result.stack)
    record_testsuite_property("claude_paths", " ".join(result.paths))
    record_testsuite_property("claude_elapsed_s", f"{result.elapsed_s:.3f}")
    return result
