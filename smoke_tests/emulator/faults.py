"""The faults that can be injected into one emulated path, and the dice that drive them.

A fault is a plain value: setting one on a path replaces whatever was there, and
:data:`NO_FAULT` clears it. Random choices (whether a request fails, how much jitter it
gets) come from generators seeded by the emulator's seed and the path name, and are
re-seeded whenever a fault is set, so that a test which sets the same fault twice sees
the same sequence of outcomes both times.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Final

__all__ = ["NO_FAULT", "Fault", "FaultDice"]

_JSON_NAMES: Final[dict[str, str]] = {
    "latency_ms": "latencyMs",
    "jitter_ms": "jitterMs",
    "error_status": "errorStatus",
    "error_rate": "errorRate",
    "blackhole": "blackhole",
    "refuse": "refuse",
    "cut_after_events": "cutAfterEvents",
    "malformed": "malformed",
}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Fault:
    """How one path misbehaves. Every field defaults to "behave normally".

    :param latency_ms: delay added before the path answers, in milliseconds.
    :param jitter_ms: the delay varies uniformly by up to this much either way (never below 0).
    :param error_status: an HTTP status (400..599) to answer with instead of the real answer,
        in the path's own error format.
    :param error_rate: the share of requests, 0..1, that get ``error_status``.
    :param blackhole: accept connections and read requests, but answer nothing until the
        fault is replaced or cleared (then the held requests are answered) or the emulator
        stops.
    :param refuse: close the listening socket, and the open connections, so that clients get
        "connection refused"; clearing the fault listens again on the same port.
    :param cut_after_events: close the connection after this many events of a streaming
        answer, without ending the stream properly. Non-streaming answers are not cut.
    :param malformed: answer 200 with a body that cannot be decoded: truncated JSON, an
        event whose data is not JSON, or an AWS event-stream frame with a wrong checksum.
    """

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_status: int | None = None
    error_rate: float = 1.0
    blackhole: bool = False
    refuse: bool = False
    cut_after_events: int | None = None
    malformed: bool = False

    def __post_init__(self) -> None:
        if not _is_number(self.latency_ms) or self.latency_ms < 0:
            raise ValueError(f"Expected latency_ms to be a number >= 0, got {self.latency_ms!r}")
        if not _is_number(self.jitter_ms) or self.jitter_ms < 0:
            raise ValueError(f"Expected jitter_ms to be a number >= 0, got {self.jitter_ms!r}")
        if self.error_status is not None and (
            not isinstance(self.error_status, int)
            or isinstance(self.error_status, bool)
            or not 400 <= self.error_status <= 599
        ):
            raise ValueError(
                f"Expected error_status to be an HTTP status 400..599 or None, "
                f"got {self.error_status!r}"
            )
        if not _is_number(self.error_rate) or not 0.0 <= self.error_rate <= 1.0:
            raise ValueError(f"Expected error_rate to be between 0 and 1, got {self.error_rate!r}")
        if self.cut_after_events is not None and (
            not isinstance(self.cut_after_events, int)
            or isinstance(self.cut_after_events, bool)
            or self.cut_after_events < 0
        ):
            raise ValueError(
                f"Expected cut_after_events to be an integer >= 0 or None, "
                f"got {self.cut_after_events!r}"
            )
        for flag in ("blackhole", "refuse", "malformed"):
            if not isinstance(getattr(self, flag), bool):
                raise ValueError(
                    f"Expected {flag} to be true or false, got {getattr(self, flag)!r}"
                )

    @property
    def is_clear(self) -> bool:
        """True when the fault changes nothing."""
        return self == NO_FAULT

    def to_json(self) -> dict[str, Any]:
        """The fault as the admin route shows it, with camelCase keys."""
        return {_JSON_NAMES[key]: value for key, value in asdict(self).items()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fault:
        """Read a fault from the admin route's camelCase keys; unknown keys are an error."""
        if not isinstance(data, Mapping):
            raise ValueError(f"Expected a fault to be a JSON object, got {data!r}")
        by_json_name = {json_name: name for name, json_name in _JSON_NAMES.items()}
        unknown = sorted(set(data) - set(by_json_name))
        if unknown:
            raise ValueError(
                f"Unknown fault keys {unknown}; allowed keys are {sorted(by_json_name)}"
            )
        return cls(**{by_json_name[key]: value for key, value in data.items()})


NO_FAULT: Final = Fault()


class FaultDice:
    """The seeded random choices of one path.

    Errors and jitter draw from separate generators, so that adding latency to a path does
    not change which of its requests fail.
    """

    def __init__(self, seed: int, path_name: str) -> None:
        self._seed = seed
        self._path_name = path_name
        self._errors = random.Random()
        self._jitter = random.Random()
        self.reset()

    def reset(self) -> None:
        """Start both sequences again from the beginning."""
        self._errors.seed(f"{self._seed}/{self._path_name}/errors")
        self._jitter.seed(f"{self._seed}/{self._path_name}/jitter")

    def delay_seconds(self, fault: Fault) -> float:
        """How long to hold the next answer back."""
        if fault.latency_ms == 0 and fault.jitter_ms == 0:
            return 0.0
        jitter = self._jitter.uniform(-fault.jitter_ms, fault.jitter_ms) if fault.jitter_ms else 0.0
        return max(0.0, fault.latency_ms + jitter) / 1000.0

    def should_fail(self, fault: Fault) -> bool:
        """Whether the next request gets the fault's error status."""
        if fault.error_status is None or fault.error_rate == 0:
            return False
        if fault.error_rate == 1:
            return True
        return self._errors.random() < fault.error_rate
