"""Building blocks shared by every section of the stack config.

Each cloud's section lives beside its components (``components/<cloud>/config.py``) and
is assembled into :class:`components.config.StackConfig`. They all build on what is
here, so that every section rejects unknown keys, is immutable, and reports a bad value
in the same one-sentence form.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = [
    "Cidr",
    "Email",
    "Model",
    "Percent",
    "Problem",
    "matches",
    "snake",
    "unique",
]


class Problem(ValueError):
    """A cross-field problem that knows which key and value it is about.

    Model validators raise it so that the message names the exact key below the model
    being validated, rather than the model as a whole. ``allowed`` completes the
    sentence "<key> is <value>, but it must be ...".
    """

    def __init__(
        self, path: tuple[str | int, ...], value: Any, allowed: str, *, missing: bool = False
    ):
        super().__init__(allowed)
        self.path = path
        self.value = value
        self.allowed = allowed
        self.missing = missing


class Model(BaseModel):
    """Base for config models: camelCase keys, unknown keys rejected, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
    )


# Reusable constrained values. Each check raises ValueError with the "what is
# allowed" half of the sentence; format_errors adds the key and the value.

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("an e-mail address such as 'oncall@example.com'")
    return value


def matches(pattern: re.Pattern[str], allowed: str) -> Any:
    """A validator that accepts strings matching ``pattern``; ``allowed`` says what fits."""

    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(allowed)
        return value

    return AfterValidator(check)


def _cidr(value: str) -> str:
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError:
        raise ValueError("a network in CIDR notation such as '10.20.0.0/16'") from None
    if network.prefixlen == 0:
        raise ValueError("a network narrower than the whole address space (not /0)")
    return str(network)


Email = Annotated[str, AfterValidator(_email)]
Cidr = Annotated[str, AfterValidator(_cidr)]
Percent = Annotated[int, Field(ge=1, le=1000)]


def unique(values: list[Any], what: str) -> list[Any]:
    """``values`` unchanged, or a ValueError naming the first repeat."""
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} without repeats, but {value!r} appears twice")
        seen.add(value)
    return values


def snake(camel: str) -> str:
    """The Python attribute name of a camelCase config key."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()
