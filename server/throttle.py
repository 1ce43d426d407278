"""Login throttling: how many wrong passwords a client may try before it has to wait.

Each login attempt draws one token from up to three buckets, and is answered 429 (with
`Retry-After`) without checking the password at all while any of them is empty:

- the username at the client's address: `PAIR` tokens, so the sixth wrong password in a row
  for one name from one address is refused;
- the client's address, whatever the names: `ADDRESS` tokens (one address trying many names);
- the username, whatever the address: `USERNAME` tokens (many addresses trying one name).

Every bucket gets one token back every `REFILL` seconds of the server's clock, up to its size.
A correct password gives back the token its attempt drew and refills its pair's bucket, and
marks the address as one the user has signed in from: an attempt for that user from that
address then draws from the pair's bucket only. So someone attacking a name from one address
is stopped by the pair's and the address's buckets long before the name's own bucket is empty,
and even when many addresses empty it, the real user still signs in from an address they have
used before.

The buckets are kept in memory by each server process (several processes behind one proxy each
count on their own), at most `MAX_KEYS` of each kind (and of signed-in pairs), dropping the least
recently used.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict
from dataclasses import dataclass

from server.errors import DomainError

PAIR = 5
ADDRESS = 20
USERNAME = 100
REFILL = 60.0  # seconds for one token to come back
MAX_KEYS = 50_000


class TooManyAttempts(DomainError):
    """429: too many failed logins; `retry_after` is in whole seconds."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many failed login attempts; try again later")
        self.retry_after = retry_after


@dataclass
class _Bucket:
    tokens: float
    at: float


class _Buckets:
    """Token buckets of one size by key, least recently used first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._buckets: OrderedDict[object, _Bucket] = OrderedDict()

    def _level(self, key: object, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(float(self.size), now)
            self._buckets[key] = bucket
            while len(self._buckets) > MAX_KEYS:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            # A clock set back refills nothing (and takes nothing away).
            elapsed = max(0.0, now - bucket.at)
            bucket.tokens = min(float(self.size), bucket.tokens + elapsed / REFILL)
            bucket.at = now
        return bucket

    def wait(self, key: object, now: float) -> float:
        """Seconds until `key` has a token (0 when it has one now)."""
        bucket = self._level(key, now)
        return 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) * REFILL

    def take(self, key: object, now: float) -> None:
        self._level(key, now).tokens -= 1

    def give_back(self, key: object, now: float) -> None:
        bucket = self._level(key, now)
        bucket.tokens = min(float(self.size), bucket.tokens + 1)

    def fill(self, key: object) -> None:
        self._buckets.pop(key, None)


@dataclass(frozen=True)
class Attempt:
    """A login attempt that drew its tokens: `LoginThrottle.succeeded` gives them back."""

    username: str
    address: str
    trusted: bool


class LoginThrottle:
    def __init__(self) -> None:
        self._pairs = _Buckets(PAIR)
        self._addresses = _Buckets(ADDRESS)
        self._usernames = _Buckets(USERNAME)
        # (username, address) pairs that have signed in, least recently used first.
        self._trusted: OrderedDict[tuple[str, str], None] = OrderedDict()

    def _buckets(self, attempt: Attempt) -> list[tuple[_Buckets, object]]:
        buckets: list[tuple[_Buckets, object]] = [
            (self._pairs, (attempt.username, attempt.address))
        ]
        if not attempt.trusted:
            buckets.append((self._addresses, attempt.address))
            buckets.append((self._usernames, attempt.username))
        return buckets

    def begin(self, username: str, address: str, now: dt.datetime) -> Attempt:
        """Draw a token for an attempt to log in as `username` from `address`; TooManyAttempts
        (drawing nothing) when one of its buckets is empty."""
        attempt = Attempt(username, address, (username, address) in self._trusted)
        seconds = now.timestamp()
        buckets = self._buckets(attempt)
        wait = max(bucket.wait(key, seconds) for bucket, key in buckets)
        if wait > 0:
            # (Rounded first: a whole number of seconds must not come out a hair over.)
            raise TooManyAttempts(max(1, math.ceil(round(wait, 6))))
        for bucket, key in buckets:
            bucket.take(key, seconds)
        return attempt

    def succeeded(self, attempt: Attempt, now: dt.datetime) -> None:
        """The password was right: the attempt's tokens come back, the pair's bucket is full
        again, and the address is one this user signs in from."""
        seconds = now.timestamp()
        for bucket, key in self._buckets(attempt):
            bucket.give_back(key, seconds)
        pair = (attempt.username, attempt.address)
        self._pairs.fill(pair)
        self._trusted[pair] = None
        self._trusted.move_to_end(pair)
        while len(self._trusted) > MAX_KEYS:
            self._trusted.popitem(last=False)
