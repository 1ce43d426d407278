"""What the structure tests share: the running order as the API answers it, checked whole."""

from __future__ import annotations

from typing import Any


async def actions(client: Any, count: int) -> list[str]:
    """The ACTIONs of the next `count` WebSocket messages."""
    return [str((await client.receive())["ACTION"]) for _ in range(count)]


def chain(items: list[dict[str, Any]], head: int | None, previous_key: str) -> list[int]:
    """The ids from `head` on, following the items whose `previous_key` names the one before;
    asserts the items form exactly one chain (one head, no fork, no cycle, nothing left out)."""
    by_previous: dict[int | None, list[int]] = {}
    for item in items:
        by_previous.setdefault(item[previous_key], []).append(item["id"])
    if not items:
        assert head is None
        return []
    assert by_previous.get(None) == [head], (head, by_previous)
    order = [head]
    while True:
        followers = by_previous.get(order[-1], [])
        assert len(followers) <= 1, f"fork after {order[-1]}: {followers}"
        if not followers:
            break
        assert followers[0] not in order, "cycle"
        order.append(followers[0])
    assert sorted(order) == sorted(i["id"] for i in items), "not every item is in the chain"
    return order


async def running_order(api: Any) -> list[tuple[str, list[str]]]:
    """The loaded show's acts in order with their scenes in order, by name, after checking that
    the lists, the show's first act and each act's first scene, next act/scene and scene list
    all agree."""
    show = (await api.get("/show")).json
    acts = (await api.get("/show/act")).json["acts"]
    scenes = (await api.get("/show/scene")).json["scenes"]
    act_order = chain(acts, show["first_act_id"], "previous_act")
    by_id = {a["id"]: a for a in acts}
    for position, act_id in enumerate(act_order):
        following = act_order[position + 1] if position + 1 < len(act_order) else None
        assert by_id[act_id]["next_act"] == following
    scene_by_id = {s["id"]: s for s in scenes}
    result = []
    for act_id in act_order:
        act = by_id[act_id]
        own = [s for s in scenes if s["act"] == act_id]
        assert sorted(act["scene_list"]) == sorted(s["id"] for s in own)
        scene_order = chain(own, act["first_scene"], "previous_scene")
        for position, scene_id in enumerate(scene_order):
            following = scene_order[position + 1] if position + 1 < len(scene_order) else None
            assert scene_by_id[scene_id]["next_scene"] == following
        result.append((act["name"], [scene_by_id[s]["name"] for s in scene_order]))
    assert sum(len(s) for _, s in result) == len(scenes)
    return result
