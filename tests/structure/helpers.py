"""What the structure tests share: the running order as the API answers it, checked whole."""

from __future__ import annotations

from typing import Any


async def actions(client: Any, count: int) -> list[str]:
    """The ACTIONs of the next `count` WebSocket messages."""
    return [str((await client.receive())["ACTION"]) for _ in range(count)]


def linked(items: list[dict[str, Any]], head: int | None, previous_key: str) -> list[int]:
    """The ids from `head` on, following the items whose `previous_key` names the one before,
    after asserting the items are lists: each followed by at most one other, every link to one
    of them, no cycle, nothing before the head."""
    ids = {item["id"] for item in items}
    followers: dict[int, list[int]] = {}
    for item in items:
        previous = item[previous_key]
        if previous is not None:
            assert previous in ids, f"{item['id']} follows {previous}, which is not one of them"
            followers.setdefault(previous, []).append(item["id"])
    for previous, after in followers.items():
        assert len(after) == 1, f"fork after {previous}: {after}"
    previous_of = {item["id"]: item[previous_key] for item in items}
    for item in items:
        seen = {item["id"]}
        at = previous_of[item["id"]]
        while at is not None:
            assert at not in seen, f"cycle through {at}"
            seen.add(at)
            at = previous_of[at]
    if head is None:
        return []
    assert head in ids and previous_of[head] is None, head
    order = [head]
    while order[-1] in followers:
        order.append(followers[order[-1]][0])
    return order


async def layout(api: Any) -> dict[str, Any]:
    """The loaded show's acts in running order, each with its scenes in order (by name); the
    acts and the scenes left out of it. Checks that the lists, the show's first act and each
    act's first scene, next act/scene and scene list all agree."""
    show = (await api.get("/show")).json
    acts = (await api.get("/show/act")).json["acts"]
    scenes = (await api.get("/show/scene")).json["scenes"]
    act_order = linked(acts, show["first_act_id"], "previous_act")
    by_id = {a["id"]: a for a in acts}
    next_act = {a["previous_act"]: a["id"] for a in acts if a["previous_act"] is not None}
    for act in acts:
        assert act["next_act"] == next_act.get(act["id"])
    scene_by_id = {s["id"]: s for s in scenes}
    next_scene = {s["previous_scene"]: s["id"] for s in scenes if s["previous_scene"]}
    for scene in scenes:
        assert scene["next_scene"] == next_scene.get(scene["id"])
    scenes_in_order: dict[int, list[str]] = {}
    placed_scenes: set[int] = set()
    for act in acts:
        own = [s for s in scenes if s["act"] == act["id"]]
        assert sorted(act["scene_list"]) == sorted(s["id"] for s in own)
        scene_order = linked(own, act["first_scene"], "previous_scene")
        placed_scenes.update(scene_order)
        scenes_in_order[act["id"]] = [scene_by_id[s]["name"] for s in scene_order]
    order = [(by_id[a]["name"], scenes_in_order[a]) for a in act_order]
    return {
        "order": order,
        "unplaced_acts": [a["name"] for a in acts if a["id"] not in act_order],
        "unplaced_scenes": [s["name"] for s in scenes if s["id"] not in placed_scenes],
    }


async def running_order(api: Any) -> list[tuple[str, list[str]]]:
    """The running order (see `layout`), asserting that no act or scene is left out."""
    found = await layout(api)
    assert (found["unplaced_acts"], found["unplaced_scenes"]) == ([], []), found
    return list(found["order"])
