"""Venue time zones: IANA names, the server's own zone, and local wall-clock times that must
exist exactly once (a clock change never silently moves a performance)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

UTC = dt.UTC


def zone(name: str) -> ZoneInfo | None:
    """The zone of an IANA name, or None when there is no such zone."""
    if not isinstance(name, str) or not name or len(name) > 64 or name.startswith(("/", ".")):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def zone_or_utc(name: str) -> ZoneInfo:
    """A venue's zone from its stored name; UTC should the name ever stop naming one."""
    return zone(name) or ZoneInfo("UTC")


def is_zone_name(name: str) -> bool:
    return zone(name) is not None


def _name_from_localtime(path: Path) -> str | None:
    try:
        target = str(path.resolve())
    except OSError:
        return None
    marker = "zoneinfo/"
    if marker not in target:
        return None
    name = target.rsplit(marker, 1)[1]
    return name if name in available_timezones() else None


@lru_cache(maxsize=1)
def server_zone_name() -> str:
    """The IANA name of the server's zone: $TZ if it names one, else /etc/timezone, else the
    target of /etc/localtime, else "UTC"."""
    candidates: list[str | None] = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    candidates.append(_name_from_localtime(Path("/etc/localtime")))
    for name in candidates:
        if name and is_zone_name(name):
            return name
    return "UTC"


class LocalTimeError(ValueError):
    """A wall-clock time that the zone skips (clocks go forward) or has twice (clocks go back)."""


def local_to_utc(date: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant of a wall-clock time in tz; refuses one that does not exist or is
    ambiguous rather than shifting it."""
    naive = dt.datetime.combine(date, time.replace(tzinfo=None))
    early = naive.replace(tzinfo=tz, fold=0)
    late = naive.replace(tzinfo=tz, fold=1)
    stamp = f"{date.isoformat()} {time.strftime('%H:%M')}"
    if early.utcoffset() != late.utcoffset():
        # Only one of the two readings round-trips in a gap; both do when the time is doubled.
        if early.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
            raise LocalTimeError(
                f"{stamp} does not exist in {tz.key} (the clocks go forward over it)"
            )
        raise LocalTimeError(
            f"{stamp} happens twice in {tz.key} (the clocks go back over it); choose another time"
        )
    return early.astimezone(UTC)


def utc_to_local(instant: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(tz)
