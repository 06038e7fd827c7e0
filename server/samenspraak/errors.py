"""The one error type of the application: a status and a stable code (docs/protocol.md)."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        extra: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.extra = extra or {}
        self.headers = headers or {}


def not_found() -> ApiError:
    return ApiError(404, "not_found")


def invalid(message: str) -> ApiError:
    return ApiError(422, "invalid_value", {"reason": message})
