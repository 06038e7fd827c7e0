"""Load-client worker process: many phones over real WebSockets, driven through a Pipe.

Each phone is a minimal RFC 6455 client on a plain non-blocking socket, all of a process's
phones on one `epoll` loop (no asyncio, no task per socket), so a message costs a few µs here.
Arrival times are the kernel's receive timestamps (SO_TIMESTAMPNS): when the bytes reached the
phone's socket, not when this busy process got round to reading them. So the load client's
own CPU does not show up in the latencies (it does show in its CPU figures, which the harness
reports). The same client drives the bare `websockets` baseline."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import select
import socket
import struct
import time
from multiprocessing.connection import Connection
from typing import Any
from urllib.parse import urlsplit

try:
    from websockets.speedups import apply_mask
except ImportError:  # pragma: no cover - the pure-Python fallback
    from websockets.utils import apply_mask

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux
ANCILLARY = socket.CMSG_SPACE(16)  # one struct timespec
CONNECT_AT_ONCE = 50  # handshakes in flight per process
GRACE = 5.0  # a vote not acked 5 s after the last one was sent counts as unacked
ACK = b'{"type":"ack","ref":"'
PROMPT = b'{"type":"prompt",'
PROMPT_ID = b'"prompt":{"id":"'
QUIET = (b'{"type":"results",', b'{"type":"presence",')


class Stats:
    """Counters shared by all phones of one process."""

    def __init__(self) -> None:
        self.pending: dict[str, float] = {}  # vote ref -> time.time() when sent
        self.ack_latency: list[float] = []
        self.ack_sent: list[float] = []  # when each acked vote was sent (same order)
        self.last_ack = 0.0  # arrival of the latest ack
        self.messages = 0  # frames received (all types)
        self.errors = 0  # `error` frames
        self.resyncs = 0  # a `welcome` after the first one: the server dropped a queue
        self.closed = 0  # sockets the server closed (or that broke)


class Phone:
    __slots__ = ("sock", "stats", "buf", "prompts", "prompt_bytes", "welcomes", "closed")

    def __init__(self, sock: socket.socket, stats: Stats) -> None:
        self.sock = sock
        self.stats = stats
        self.buf = bytearray()
        self.prompts: dict[str, tuple[float, float]] = {}  # id -> (arrived, read) of 1st `prompt`
        self.prompt_bytes = 0
        self.welcomes = 0
        self.closed = False

    def read(self) -> None:
        try:
            data, ancillary, _, _ = self.sock.recvmsg(65536, ANCILLARY)
        except BlockingIOError:
            return
        except OSError:
            data, ancillary = b"", []
        now = time.time()
        if not data:
            self.lost()
            return
        arrived = now
        for level, kind, cdata in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", cdata[:16])
                arrived = sec + nsec * 1e-9
        self.feed(data, arrived, now)

    def feed(self, data: bytes, arrived: float, now: float) -> None:
        buf = self.buf
        buf += data
        while len(buf) >= 2:
            first, second = buf[0], buf[1]
            size, at = second & 0x7F, 2
            if size == 126:
                if len(buf) < 4:
                    return
                size, at = int.from_bytes(buf[2:4], "big"), 4
            elif size == 127:
                if len(buf) < 10:
                    return
                size, at = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < at + size:
                return
            payload = bytes(buf[at : at + size])
            del buf[: at + size]
            opcode = first & 0x0F
            if opcode == 1:
                self._text(payload, arrived, now)
            elif opcode == 9:  # ping (uvicorn and websockets ping every 20 s)
                self.frame(0xA, payload)
            elif opcode == 8:
                self.frame(0x8, payload[:2])
                self.lost()
                return

    def _text(self, payload: bytes, arrived: float, now: float) -> None:
        """Acks and prompts (the timed frames) are read without a JSON parse: both servers
        write `type` first, then the ack's `ref` or the prompt's `id`."""
        stats = self.stats
        stats.messages += 1
        if payload.startswith(ACK):
            end = payload.index(b'"', len(ACK))
            sent = stats.pending.pop(payload[len(ACK) : end].decode(), None)
            if sent is not None:
                stats.ack_latency.append(arrived - sent)
                stats.ack_sent.append(sent)
                stats.last_ack = max(stats.last_ack, arrived)
            return
        if payload.startswith(PROMPT):
            at = payload.find(PROMPT_ID)
            if at >= 0:
                at += len(PROMPT_ID)
                pid = payload[at : payload.index(b'"', at)].decode()
            else:  # no prompt on screen
                pid = str((json.loads(payload).get("prompt") or {}).get("id"))
            self.prompts.setdefault(pid, (arrived, now))
            self.prompt_bytes = max(self.prompt_bytes, len(payload))
            return
        if payload.startswith(QUIET):
            return
        kind = json.loads(payload).get("type")
        if kind == "welcome":
            self.welcomes += 1
            if self.welcomes > 1:
                stats.resyncs += 1
        elif kind == "error":
            stats.errors += 1

    def frame(self, opcode: int, payload: bytes) -> None:
        if self.closed:
            return
        size = len(payload)
        if size < 126:
            header = bytes((0x80 | opcode, 0x80 | size))
        else:
            header = bytes((0x80 | opcode, 0x80 | 126)) + size.to_bytes(2, "big")
        mask = random.randbytes(4)
        data = header + mask + apply_mask(payload, mask)
        try:
            if self.sock.send(data) != len(data):  # small frames, idle sockets: never partial
                raise BlockingIOError
        except OSError:
            self.lost()

    def send(self, message: dict[str, Any]) -> None:
        self.frame(0x1, json.dumps(message, separators=(",", ":")).encode())

    def lost(self) -> None:
        if not self.closed:
            self.closed = True
            self.stats.closed += 1
            self.sock.close()


def _connect(url: str, hellos: list[dict[str, Any]], stats: Stats) -> list[Phone]:
    """Blocking, CONNECT_AT_ONCE at a time: open, upgrade, hello, wait for the welcome."""
    parts = urlsplit(url)
    host, port, path = parts.hostname, parts.port, parts.path or "/"
    phones: list[Phone] = []
    for start in range(0, len(hellos), CONNECT_AT_ONCE):
        wave = hellos[start : start + CONNECT_AT_ONCE]
        socks = [socket.create_connection((host, port), timeout=60) for _ in wave]
        for sock in socks:
            key = base64.b64encode(os.urandom(16)).decode()
            sock.sendall(
                f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n".encode()
            )
        batch = []
        for sock in socks:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = sock.recv(4096)
                if not chunk:
                    raise ConnectionError("closed during the upgrade")
                head += chunk
            if not head.startswith(b"HTTP/1.1 101"):
                raise ConnectionError(head[:60].decode(errors="replace"))
            phone = Phone(sock, stats)
            phone.buf += head.split(b"\r\n\r\n", 1)[1]
            batch.append(phone)
        for phone, hello in zip(batch, wave, strict=True):
            phone.send({"type": "hello", **hello})
        for phone in batch:
            while phone.welcomes == 0:
                chunk = phone.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed before the welcome")
                phone.feed(chunk, time.time(), time.time())
        phones += batch
    for phone in phones:
        phone.sock.settimeout(None)
        phone.sock.setblocking(False)
        phone.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    return phones


class Voting:
    """Open loop: `rate` votes per second from this process, round-robin over its phones (each
    phone votes at rate/len(phones) per second), whether or not the acks keep up."""

    def __init__(
        self, phones: list[Phone], stats: Stats, prompt_id: str, rate: float, seconds: float
    ) -> None:
        self.phones = [p for p in phones if not p.closed]
        random.shuffle(self.phones)
        self.stats = stats
        self.prompt_id = prompt_id
        self.rate = rate
        stats.ack_latency = []
        stats.ack_sent = []
        stats.pending.clear()
        self.before = (stats.messages, stats.errors, stats.resyncs, stats.closed)
        self.start = time.time()
        self.end = self.start + seconds
        self.sent = 0
        self.messages = 0

    def step(self, now: float) -> dict[str, Any] | None:
        """Send what is due; the result once the votes are over and acked (or GRACE passed)."""
        stats = self.stats
        if now < self.end:
            due = int((now - self.start) * self.rate) - self.sent
            for _ in range(due):
                phone = self.phones[self.sent % len(self.phones)]
                ref = str(self.sent)
                self.sent += 1
                stats.pending[ref] = time.time()
                phone.send(
                    {
                        "type": "respond",
                        "ref": ref,
                        "prompt_id": self.prompt_id,
                        "value": random.randint(0, 100),
                    }
                )
            self.messages = stats.messages - self.before[0]
            return None
        if stats.pending and now < self.end + GRACE:
            return None
        return {
            "sent": self.sent,
            "acked": len(stats.ack_latency),
            "unacked": len(stats.pending),
            "ack_latency": stats.ack_latency,
            "ack_sent": stats.ack_sent,
            "first_send": self.start,
            "last_ack": stats.last_ack,
            "messages_per_s": self.messages / (self.end - self.start),
            "errors": stats.errors - self.before[1],
            "resyncs": stats.resyncs - self.before[2],
            "closed": stats.closed - self.before[3],
        }


def worker(url: str, hellos: list[dict[str, Any]], pipe: Connection) -> None:
    stats = Stats()
    phones = _connect(url, hellos, stats)
    poll = select.epoll()
    by_fd = {}
    for phone in phones:
        by_fd[phone.sock.fileno()] = phone
        poll.register(phone.sock.fileno(), select.EPOLLIN)
    control = pipe.fileno()
    poll.register(control, select.EPOLLIN)
    pipe.send(("ready", len(phones)))
    voting: Voting | None = None
    while True:
        for fd, _ in poll.poll(0.002 if voting else 0.5):
            if fd != control:
                phone = by_fd[fd]
                phone.read()
                if phone.closed:
                    with contextlib.suppress(OSError, ValueError):
                        poll.unregister(fd)  # closing the socket may have done it
                    del by_fd[fd]
                continue
            command = pipe.recv()
            if command[0] == "prompt_times":
                times = [p.prompts.get(command[1]) for p in phones]
                pipe.send(
                    {
                        "arrived": [t[0] if t else None for t in times],
                        "read": [t[1] if t else None for t in times],
                        "bytes": max((p.prompt_bytes for p in phones), default=0),
                    }
                )
            elif command[0] == "vote":
                voting = Voting(phones, stats, *command[1:])
            elif command[0] == "close":
                for phone in phones:
                    phone.frame(0x8, (1000).to_bytes(2, "big"))
                    phone.closed = True
                    phone.sock.close()
                pipe.send("closed")
                return
        if voting is not None:
            result = voting.step(time.time())
            if result is not None:
                pipe.send(result)
                voting = None
