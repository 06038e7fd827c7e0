"""Writing a text frame without a coroutine, when the server allows it.

A new prompt goes to every phone in the hall at once; with 5,000 phones the per-socket cost is
what the fan-out costs. Through ASGI each frame is a coroutine (our send, the server's send, its
`writable.wait()`), run to completion and finished with a StopIteration. uvicorn's
websockets-sansio protocol does the actual work synchronously: encode the frame with the
`websockets` sans-I/O connection and hand the bytes to the transport. `DirectWriter` does that
same work straight away, only when the server's own `send` would do nothing else: the socket is
accepted, not closing, and its transport is not paused (write buffer above the high-water mark).
In every other case `write` answers False and the caller takes the ASGI path, which waits,
raises or closes exactly as the server decides. Measured in docs/performance.md.

It is found by feature detection (the bound `send` of uvicorn's `WebSocketsSansIOProtocol` and
the attributes used below); any other server, or a uvicorn that changed them, gets None and the
ASGI path. tests/unit/test_direct_writer.py fails when the pinned uvicorn no longer matches, so
an upgrade cannot make the fan-out silently slower."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ATTRIBUTES = (
    "conn",
    "transport",
    "writable",
    "disconnected",
    "close_sent",
    "handshake_complete",
    "initial_response",
)


class DirectWriter:
    __slots__ = ("_protocol",)

    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol

    @classmethod
    def of(cls, send: Callable[..., Any]) -> DirectWriter | None:
        protocol: Any = getattr(send, "__self__", None)
        if type(protocol).__name__ != "WebSocketsSansIOProtocol":
            return None
        if not all(hasattr(protocol, name) for name in ATTRIBUTES):
            return None
        conn = protocol.conn
        if not (hasattr(conn, "send_text") and hasattr(conn, "data_to_send")):
            return None
        return cls(protocol)

    def write(self, text: str) -> bool:
        """True: the frame is with the transport. False: nothing was done; use the ASGI send."""
        p = self._protocol
        if (
            p.disconnected
            or p.close_sent
            or not p.handshake_complete
            or p.initial_response is not None
            or not p.writable.is_set()
        ):
            return False
        try:
            p.conn.send_text(text.encode())
        except Exception:  # noqa: BLE001 - e.g. InvalidState: the ASGI send reports it properly
            return False
        p.transport.write(b"".join(p.conn.data_to_send()))
        return True
