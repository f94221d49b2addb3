"""Deterministic ids for the mock engine: the same seed always gives the same id."""

from __future__ import annotations

import hashlib
import uuid

__all__ = ["hex_of", "uuid_of"]


def hex_of(seed: str, length: int) -> str:
    """``length`` hex digits derived from ``seed``."""
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def uuid_of(seed: str) -> str:
    """A UUID string derived from ``seed``."""
    return str(uuid.UUID(hex_of(seed, 32)))
