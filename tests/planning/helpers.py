"""Set-up shared by the planning tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

SERIES = "/show/sessions/schedule/series"


async def set_zone(api: Api, zone: str) -> None:
    """Give the loaded show (Hamlet, 2026-12-01 to 2027-01-31) the venue zone `zone`."""
    r = await api.patch(
        "/show",
        {"name": "Hamlet", "start_date": "2026-12-01", "end_date": "2027-01-31", "time_zone": zone},
    )
    assert r.code == 200, r


async def series(api: Api, **body: Any) -> Any:
    return await api.post(SERIES, body)
