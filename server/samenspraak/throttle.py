"""Login throttling: failed attempts per account and per client address, in this process's memory.

After `per_account` failed logins for one e-mail address (known or not, so the answer does not
reveal which accounts exist) or `per_address` failed logins from one client address within
`window` seconds, further attempts get 429 `login_throttled` with `Retry-After` until the oldest
counted failure is older than the window. A successful login clears its account's failures.

Loopback addresses (127.0.0.0/8, ::1) have no address counter, as fail2ban ignores them by
default: behind a reverse proxy that does not pass `X-Forwarded-For`, every client would share
the proxy's address and one person could lock every colleague out. The account counter still
holds for them. (uvicorn replaces the address with the forwarded one from trusted proxies.)

Nothing is written to the database (the privacy rule: no IP addresses are stored); the counters
live in one process and are gone after a restart. With several workers each keeps its own
counters, so the limits hold per worker. Memory is bounded: at most `max_keys` accounts and as
many addresses are tracked, the least recently failed forgotten first."""

from __future__ import annotations

import ipaddress
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable

PER_ACCOUNT = 5
PER_ADDRESS = 20
WINDOW = 15 * 60.0
MAX_KEYS = 10_000


class _Counter:
    """Failure times per key within the window; keys in order of their latest failure."""

    def __init__(self, limit: int, window: float, max_keys: int) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._times: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str, now: float) -> deque[float] | None:
        times = self._times.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._times[key]
            return None
        return times

    def wait(self, key: str, now: float) -> float:
        """Seconds until this key may try again (0: now)."""
        times = self._recent(key, now)
        if times is None or len(times) < self.limit:
            return 0.0
        # the attempt that must leave the window before the count is below the limit again
        return times[len(times) - self.limit] + self.window - now

    def add(self, key: str, now: float) -> None:
        times = self._recent(key, now)
        if times is None:
            times = self._times[key] = deque()
            while len(self._times) > self.max_keys:
                self._times.popitem(last=False)
        else:
            self._times.move_to_end(key)
        times.append(now)
        while len(times) > self.limit:  # older ones can no longer decide anything
            times.popleft()

    def remove(self, key: str, stamp: float) -> None:
        times = self._times.get(key)
        if times is not None and stamp in times:
            times.remove(stamp)
            if not times:
                del self._times[key]

    def clear(self, key: str) -> None:
        self._times.pop(key, None)


def shared_address(address: str) -> bool:
    """A loopback address: the machine itself, or a proxy that does not say who its client is."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address in ("localhost", "unknown", "")


class LoginThrottle:
    """`begin` before checking a password (it counts the attempt as failed, so that parallel
    attempts cannot slip past the limit while the password hash is computed), then
    `succeeded` when the password was right; a wrong password needs nothing more."""

    def __init__(
        self,
        per_account: int = PER_ACCOUNT,
        per_address: int = PER_ADDRESS,
        window: float = WINDOW,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._accounts = _Counter(per_account, window, max_keys)
        self._addresses = _Counter(per_address, window, max_keys)
        self._clock = clock

    @staticmethod
    def account_key(email: str) -> str:
        return email.strip().casefold()

    def retry_after(self, email: str, address: str) -> int:
        """Whole seconds to wait before another attempt (0: go ahead)."""
        now = self._clock()
        wait = self._accounts.wait(self.account_key(email), now)
        if not shared_address(address):
            wait = max(wait, self._addresses.wait(address, now))
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def begin(self, email: str, address: str) -> float:
        """Count an attempt as failed; the stamp it returns undoes that in `succeeded`."""
        now = self._clock()
        self._accounts.add(self.account_key(email), now)
        if not shared_address(address):
            self._addresses.add(address, now)
        return now

    def succeeded(self, email: str, address: str, stamp: float) -> None:
        """The password was right: the account's failures are forgotten, and this attempt does
        not count against the address."""
        self._accounts.clear(self.account_key(email))
        self._addresses.remove(address, stamp)
