"""The one exception type that the emulated services raise to refuse a request."""

from __future__ import annotations

__all__ = ["ApiError"]


class ApiError(Exception):
    """A request that the emulated service turns away.

    Each path renders it in its own platform's error format, so the code that finds a
    problem does not need to know which platform it is speaking for.

    :param status: the HTTP status to answer with.
    :param message: the human-readable message, worded as the platform words it.
    :param code: a platform-specific error code (an AWS exception name, say) when the
        status alone does not pick the right one; ``None`` lets the path choose.
    """

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code

    def __repr__(self) -> str:
        return f"ApiError(status={self.status!r}, code={self.code!r}, message={self.message!r})"
