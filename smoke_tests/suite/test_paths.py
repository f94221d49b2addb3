"""One test per path, tier and check of the manifest given with ``--claude-manifest``."""

from __future__ import annotations

import pytest

from smoke_tests.checks import Case
from smoke_tests.runner import SmokeRun


def test_check(smoke_case: Case, smoke_run: SmokeRun) -> None:
    result = smoke_run.result_of(smoke_case)

    if result.result == "skipped":
        pytest.skip(result.detail or "not applicable to this path")
    if result.result == "failed":
        request_id = f" (request id {result.request_id})" if result.request_id else ""
        pytest.fail(
            f"{result.category}: {result.detail}{request_id}\nhint: {result.hint}", pytrace=False
        )
    assert result.result == "ok"
