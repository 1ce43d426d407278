"""What the casting tests share: a small company set up through the API."""

from __future__ import annotations

from typing import Any

POOLS = "/show/casting/pools"


async def add_cast(api: Any, first: str) -> int:
    r = await api.post("/show/cast", {"firstName": first, "lastName": "Lane"})
    assert r.code == 200, r
    return int(r.json["id"])


async def add_character(api: Any, name: str, played_by: int | None = None) -> int:
    r = await api.post("/show/character", {"name": name, "played_by": played_by})
    assert r.code == 200, r
    return int(r.json["id"])


async def set_pool(api: Any, character: int, cast_ids: list[int]) -> None:
    r = await api.request("PUT", f"{POOLS}/{character}", {"cast_ids": cast_ids})
    assert r.code == 200, r


async def pools(api: Any) -> dict[int, list[int]]:
    r = await api.get(POOLS)
    assert r.code == 200, r
    return {p["character_id"]: p["cast_ids"] for p in r.json["pools"]}


async def played_by(api: Any) -> dict[int, int | None]:
    r = await api.get("/show/character")
    return {c["id"]: c["played_by"] for c in r.json["characters"]}


async def casting(api: Any, session: int) -> dict[str, Any]:
    r = await api.get(f"/show/sessions/{session}/casting")
    assert r.code == 200, r
    return r.json  # type: ignore[no-any-return]


def cells(answer: dict[str, Any]) -> dict[int, int | None]:
    return {c["character_id"]: c["cast_id"] for c in answer["casting"]}
