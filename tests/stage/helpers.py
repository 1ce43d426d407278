"""What the stage tests share: a running order written straight into the database (acts and
scenes have endpoints of their own), and reading WebSocket notices."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from server.db import Database
from server.models import Act, Scene, Show


def running_order(database: Database, show_id: int, acts: list[list[str]]) -> list[list[int]]:
    """Appends acts with these scenes (by name, in order) to the show; their scene ids."""
    ids: list[list[int]] = []
    with database.write() as db:
        show = db.get(Show, show_id)
        assert show is not None
        # The last act: the one no act follows.
        followed = select(Act.previous_act_id).where(Act.previous_act_id.is_not(None))
        previous_act = db.scalar(select(Act).where(Act.show_id == show_id, Act.id.not_in(followed)))
        for number, scene_names in enumerate(acts, start=1):
            act = Act(
                show_id=show_id,
                name=f"Act {number}",
                interval_after=False,
                previous_act_id=previous_act.id if previous_act else None,
            )
            db.add(act)
            db.flush()
            if show.first_act_id is None:
                show.first_act_id = act.id
            previous: Scene | None = None
            run: list[int] = []
            for name in scene_names:
                scene = Scene(
                    show_id=show_id,
                    act_id=act.id,
                    name=name,
                    previous_scene_id=previous.id if previous else None,
                )
                db.add(scene)
                db.flush()
                if previous is None:
                    act.first_scene_id = scene.id
                previous = scene
                run.append(scene.id)
            ids.append(run)
            previous_act = act
    return ids


def count(database: Database, model: Any) -> int:
    with database.read() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


async def actions(client: Any, count: int) -> list[str]:
    """The ACTIONs of the next `count` WebSocket messages, in the order they came."""
    return [str((await client.receive())["ACTION"]) for _ in range(count)]


def scene_on_stage(database: Database, show_id: int, name: str = "On stage") -> int:
    """The id of the show's scene with this name, made (in an act of its own, appended to the
    running order) the first time."""
    with database.read() as db:
        found = db.scalar(select(Scene.id).where(Scene.show_id == show_id, Scene.name == name))
    if found is not None:
        return int(found)
    return running_order(database, show_id, [[name]])[0][0]
