"""The server's notion of "now", injectable so tests can pin it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """Now, in UTC, to the second: session times are shown and compared to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class FixedClock:
    """A clock that says what it is told; `advance` moves it on."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, now: dt.datetime) -> None:
        self.now = now

    def advance(self, delta: dt.timedelta) -> None:
        self.now = self.now + delta
