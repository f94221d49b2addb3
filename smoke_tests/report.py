"""The three shapes of a smoke run's report: a table for people, JSON and JUnit for machines.

All three carry the same facts: per path, tier and check, the result, the latency, the
time to first token, the tokens and the request id; per failure, its category, the
detail and the hint of what to check first. None of them carries a credential, because
nothing in a :class:`~smoke_tests.checks.CheckResult` is one.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from smoke_tests.checks import CheckResult
from smoke_tests.runner import SmokeRun

__all__ = [
    "COLUMNS",
    "format_failures",
    "format_report",
    "format_table",
    "junit_tree",
    "result_text",
    "summary",
    "to_json",
    "write_junit",
]

COLUMNS = ("path", "tier", "check", "result", "latency ms", "TTFT ms", "tokens", "request id")
"""The table's columns, left to right."""

_NUMERIC = frozenset({"latency ms", "TTFT ms", "tokens"})


def result_text(result: CheckResult) -> str:
    """``ok``, ``FAIL <category>`` or ``skipped (<reason>)``."""
    if result.result == "ok":
        return "ok"
    if result.result == "failed":
        return f"FAIL {result.category}"
    return f"skipped ({result.detail})" if result.detail else "skipped"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _tokens(result: CheckResult) -> str:
    if result.input_tokens is None and result.output_tokens is None:
        return "-"
    given = [result.input_tokens, result.output_tokens]
    return "/".join("-" if count is None else str(count) for count in given)


def _row(result: CheckResult) -> tuple[str, ...]:
    return (
        result.path,
        result.tier,
        result.check,
        result_text(result),
        _ms(result.latency_ms),
        _ms(result.ttft_ms),
        _tokens(result),
        result.request_id or "-",
    )


def format_table(results: Sequence[CheckResult]) -> str:
    """One row per check, numbers right-aligned; tokens are input/output."""
    rows = [COLUMNS, *(_row(result) for result in results)]
    widths = [max(len(row[index]) for row in rows) for index in range(len(COLUMNS))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if column in _NUMERIC else cell.ljust(width)
            for column, cell, width in zip(COLUMNS, row, widths, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def format_failures(results: Sequence[CheckResult]) -> list[str]:
    """One line per failed check: where, what, why, and what to check first."""
    return [
        f"FAIL {result.path} {result.tier} {result.check}: {result.category}: {result.detail}"
        f" -- hint: {result.hint}"
        for result in results
        if result.result == "failed"
    ]


def summary(run: SmokeRun) -> str:
    """The one line that says whether the run passed."""
    verdict = "passed" if run.passed else "FAILED"
    paths = len(run.paths)
    return (
        f"smoke {verdict} for stack {run.stack!r}: {paths} path{'' if paths == 1 else 's'}, "
        f"{run.count('ok')} ok, {run.count('failed')} failed, {run.count('skipped')} skipped "
        f"in {run.elapsed_s:.1f} s"
    )


def format_report(run: SmokeRun) -> str:
    """The table, then a line per failure, then the summary."""
    parts = [format_table(run.results)]
    failures = format_failures(run.results)
    if failures:
        parts.append("\n".join(failures))
    parts.append(summary(run))
    return "\n\n".join(parts)


def to_json(run: SmokeRun) -> dict[str, Any]:
    """Every result as a record, and the summary, as ``--json`` prints them."""
    return {
        "stack": run.stack,
        "results": [result.to_record() for result in run.results],
        "summary": {
            "passed": run.passed,
            "paths": len(run.paths),
            "total": len(run.results),
            "ok": run.count("ok"),
            "failed": run.count("failed"),
            "skipped": run.count("skipped"),
            "elapsed_s": round(run.elapsed_s, 3),
            "timeout_s": run.timeout_s,
            "deadline_s": run.deadline_s,
        },
    }


def _seconds(milliseconds: float | None) -> str:
    return f"{(milliseconds or 0.0) / 1000.0:.3f}"


def junit_tree(run: SmokeRun) -> ET.ElementTree:
    """A JUnit document: a test suite per path, a test case per tier and check."""
    root = ET.Element(
        "testsuites",
        {
            "name": f"claude-access smoke ({run.stack})",
            "tests": str(len(run.results)),
            "failures": str(run.count("failed")),
            "errors": "0",
            "skipped": str(run.count("skipped")),
            "time": f"{run.elapsed_s:.3f}",
        },
    )
    for path in run.paths:
        results = [result for result in run.results if result.path == path]
        # Checks of a path run in parallel, so the suite takes as long as its slowest one.
        longest = max((result.latency_ms or 0.0 for result in results), default=0.0)
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": path,
                "tests": str(len(results)),
                "failures": str(sum(1 for result in results if result.result == "failed")),
                "errors": "0",
                "skipped": str(sum(1 for result in results if result.result == "skipped")),
                "time": _seconds(longest),
            },
        )
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", {"name": "kind", "value": results[0].kind})
        ET.SubElement(properties, "property", {"name": "stack", "value": run.stack})
        for result in results:
            _testcase(suite, result)
    return ET.ElementTree(root)


def _testcase(suite: ET.Element, result: CheckResult) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": f"smoke.{result.path}",
            "name": f"{result.tier}.{result.check}",
            "time": _seconds(result.latency_ms),
        },
    )
    facts = {
        "model": result.model,
        "request_id": result.request_id,
        "ttft_ms": _ms(result.ttft_ms) if result.ttft_ms is not None else None,
        "tokens": _tokens(result) if result.result == "ok" else None,
    }
    if any(value is not None for value in facts.values()):
        properties = ET.SubElement(case, "properties")
        for name, value in facts.items():
            if value is not None:
                ET.SubElement(properties, "property", {"name": name, "value": value})
    if result.result == "failed":
        failure = ET.SubElement(
            case,
            "failure",
            {"type": result.category or "", "message": f"{result.category}: {result.detail}"},
        )
        failure.text = f"{result.detail}\nhint: {result.hint}"
    elif result.result == "skipped":
        ET.SubElement(case, "skipped", {"message": result.detail or "skipped"})


def write_junit(run: SmokeRun, file: str | os.PathLike[str]) -> None:
    """Write :func:`junit_tree` to ``file``, creating its directory."""
    tree = junit_tree(run)
    ET.indent(tree)
    directory = os.path.dirname(os.fspath(file))
    if directory:
        os.makedirs(directory, exist_ok=True)
    tree.write(file, encoding="utf-8", xml_declaration=True)
