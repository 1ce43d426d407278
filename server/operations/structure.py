"""A show's running order: its acts, and each act's scenes.

The running order is two kinds of singly linked list: the show's acts (`Show.first_act_id`,
then each act's `previous_act_id`) and each act's scenes (`Act.first_scene_id`, then each
scene's `previous_scene_id`). Every change here keeps them lists: each act (scene) followed by
at most one other, no cycle, every link within the show (the act), the first one with nothing
before it. An act or scene named with a previous one is inserted after it, the one that
followed it moving up behind it; moving one takes it out first, its follower moving up;
deleting one closes the gap the same way. As in DigiScript, one added or moved with no
previous one becomes the first if there is none yet, and is otherwise left out of the running
order until placed (DigiScript's client lists such acts and scenes after the running order and
offers them as anyone's previous one). The loaded show's row is locked by every write
transaction before any of this is read, so two clients inserting at the same place queue.

Nothing of another show is ever found: its ids answer as missing ones.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from server.changes import Change, record
from server.errors import Conflict, Invalid, NotFound
from server.models import Act, Scene, Show
from server.operations.shows import SHOW_DETAILS_CHANGED

ACT_NOT_FOUND = "404 act not found"
SCENE_NOT_FOUND = "404 scene not found"


def refuse_while_live(show: Show) -> None:
    """No change to a show's structure or people while one of its sessions is live."""
    if show.current_session_id is not None:
        raise Conflict("Current session in progress")


def of_show(db: Session, model: Any, show: Show, object_id: int | None) -> Any:
    """The row of `model` with this id if it belongs to the show, else None."""
    if object_id is None or not -(2**63) <= object_id < 2**63:
        return None
    row = db.get(model, object_id)
    return row if row is not None and row.show_id == show.id else None


def found(db: Session, model: Any, show: Show, object_id: int, message: str) -> Any:
    """The row of `model` with this id if it belongs to the show; NotFound otherwise."""
    row = of_show(db, model, show, object_id)
    if row is None:
        raise NotFound(message)
    return row


# -- acts -------------------------------------------------------------------------------------


def list_acts(db: Session, show: Show) -> list[dict[str, Any]]:
    acts = list(db.scalars(select(Act).where(Act.show_id == show.id).order_by(Act.id)))
    scenes = db.execute(
        select(Scene.id, Scene.act_id).where(Scene.show_id == show.id).order_by(Scene.id)
    ).all()
    scenes_of: dict[int, list[int]] = defaultdict(list)
    for scene_id, act_id in scenes:
        scenes_of[act_id].append(scene_id)
    next_of = {a.previous_act_id: a.id for a in acts if a.previous_act_id is not None}
    return [
        {
            "id": a.id,
            "show_id": a.show_id,
            "name": a.name,
            "interval_after": a.interval_after,
            "first_scene": a.first_scene_id,
            "previous_act": a.previous_act_id,
            "next_act": next_of.get(a.id),
            "scene_list": scenes_of[a.id],
        }
        for a in acts
    ]


def _act_after(db: Session, show: Show, act_id: int | None) -> Act | None:
    """The act that follows this one (the show's first act, given None)."""
    if act_id is None:
        return db.get(Act, show.first_act_id) if show.first_act_id is not None else None
    return db.scalar(select(Act).where(Act.show_id == show.id, Act.previous_act_id == act_id))


def _place_act(db: Session, show: Show, act: Act, previous: Act | None) -> None:
    """Put an act that is linked to no other after `previous`, the act that followed it
    moving up behind it; given None, make it the first act if there is none."""
    if previous is None:
        if show.first_act_id is None:
            show.first_act_id = act.id
            db.flush()
        return
    follower = _act_after(db, show, previous.id)
    act.previous_act_id = previous.id
    db.flush()
    if follower is not None and follower.id != act.id:
        follower.previous_act_id = act.id
        db.flush()


def _unlink_act(db: Session, show: Show, act: Act) -> None:
    """Take an act out of the chain, its follower moving up behind its previous act."""
    follower = _act_after(db, show, act.id)
    if follower is not None:
        follower.previous_act_id = act.previous_act_id
    if show.first_act_id == act.id:
        show.first_act_id = follower.id if follower is not None else None
    act.previous_act_id = None
    db.flush()


def _previous_act(db: Session, show: Show, previous_id: int | None) -> Act | None:
    if previous_id is None:
        return None
    previous = of_show(db, Act, show, previous_id)
    if previous is None:
        raise Invalid("Previous act not found")
    return previous


def _record_acts(db: Session, show: Show, first_act_before: int | None) -> None:
    record(db, show.id, Change.ACTS)
    if show.first_act_id != first_act_before:
        record(db, show.id, SHOW_DETAILS_CHANGED)


def create_act(
    db: Session, show: Show, name: str, interval_after: bool, previous_act_id: int | None
) -> Act:
    refuse_while_live(show)
    previous = _previous_act(db, show, previous_act_id)
    first_before = show.first_act_id
    act = Act(show_id=show.id, name=name, interval_after=interval_after)
    db.add(act)
    db.flush()
    _place_act(db, show, act, previous)
    _record_acts(db, show, first_before)
    return act


def update_act(
    db: Session,
    show: Show,
    act_id: int,
    name: str,
    interval_after: bool,
    previous_act_id: int | None,
) -> Act:
    refuse_while_live(show)
    act = found(db, Act, show, act_id, ACT_NOT_FOUND)
    if previous_act_id is not None and previous_act_id == act.id:
        raise Invalid("Previous act cannot be current act")
    previous = _previous_act(db, show, previous_act_id)
    first_before = show.first_act_id
    act.name = name
    act.interval_after = interval_after
    if act.previous_act_id != previous_act_id:
        _unlink_act(db, show, act)
        _place_act(db, show, act, previous)
    db.flush()
    _record_acts(db, show, first_before)
    return act


def delete_act(db: Session, show: Show, act_id: int) -> None:
    """Delete an act and its scenes (and what is allocated to them)."""
    refuse_while_live(show)
    act = found(db, Act, show, act_id, ACT_NOT_FOUND)
    first_before = show.first_act_id
    _unlink_act(db, show, act)
    had_scenes = act.first_scene_id is not None
    act.first_scene_id = None
    db.flush()
    db.execute(
        update(Scene).where(Scene.act_id == act.id).values(previous_scene_id=None),
        execution_options={"synchronize_session": False},
    )
    db.execute(
        delete(Scene).where(Scene.act_id == act.id),
        execution_options={"synchronize_session": False},
    )
    db.delete(act)
    db.flush()
    db.expire_all()
    _record_acts(db, show, first_before)
    if had_scenes:
        record(db, show.id, Change.SCENES)


def set_first_scene(db: Session, show: Show, act_id: int, scene_id: int | None) -> Act:
    """Name an act's first scene: one of its scenes with no scene before it (or none). The
    scenes that came first until now are left out of the running order until placed."""
    refuse_while_live(show)
    scene = None
    if scene_id is not None:
        scene = found(db, Scene, show, scene_id, SCENE_NOT_FOUND)
        if scene.previous_scene_id is not None:
            raise Invalid("First scene cannot already have previous scene")
    act = of_show(db, Act, show, act_id)
    if act is None:
        raise NotFound("Act not found")
    if scene is not None and scene.act_id != act.id:
        raise Invalid("First scene must be a scene of the act")
    act.first_scene_id = scene.id if scene is not None else None
    db.flush()
    record(db, show.id, Change.ACTS)
    return act


# -- scenes -----------------------------------------------------------------------------------


def list_scenes(db: Session, show: Show) -> list[dict[str, Any]]:
    scenes = list(db.scalars(select(Scene).where(Scene.show_id == show.id).order_by(Scene.id)))
    next_of = {s.previous_scene_id: s.id for s in scenes if s.previous_scene_id is not None}
    return [
        {
            "id": s.id,
            "show_id": s.show_id,
            "act": s.act_id,
            "name": s.name,
            "previous_scene": s.previous_scene_id,
            "next_scene": next_of.get(s.id),
        }
        for s in scenes
    ]


def _scene_after(db: Session, act: Act, scene_id: int | None) -> Scene | None:
    """The scene of the act that follows this one (the act's first scene, given None)."""
    if scene_id is None:
        return db.get(Scene, act.first_scene_id) if act.first_scene_id is not None else None
    return db.scalar(
        select(Scene).where(Scene.act_id == act.id, Scene.previous_scene_id == scene_id)
    )


def _place_scene(db: Session, act: Act, scene: Scene, previous: Scene | None) -> None:
    """Put a scene that is linked to no other into `act` after `previous`, the scene that
    followed it moving up behind it; given None, make it the act's first scene if it has
    none."""
    scene.act_id = act.id
    db.flush()
    if previous is None:
        if act.first_scene_id is None:
            act.first_scene_id = scene.id
            db.flush()
        return
    follower = _scene_after(db, act, previous.id)
    scene.previous_scene_id = previous.id
    db.flush()
    if follower is not None and follower.id != scene.id:
        follower.previous_scene_id = scene.id
        db.flush()


def _unlink_scene(db: Session, act: Act, scene: Scene) -> None:
    follower = _scene_after(db, act, scene.id)
    if follower is not None:
        follower.previous_scene_id = scene.previous_scene_id
    if act.first_scene_id == scene.id:
        act.first_scene_id = follower.id if follower is not None else None
    scene.previous_scene_id = None
    db.flush()


def _previous_scene(db: Session, show: Show, act: Act, previous_id: int | None) -> Scene | None:
    if previous_id is None:
        return None
    previous = of_show(db, Scene, show, previous_id)
    if previous is None:
        raise Invalid("Previous scene not found")
    if previous.act_id != act.id:
        raise Invalid("Previous scene must be in the same act as new scene")
    return previous


def create_scene(
    db: Session, show: Show, act_id: int, name: str, previous_scene_id: int | None
) -> Scene:
    refuse_while_live(show)
    act = found(db, Act, show, act_id, ACT_NOT_FOUND)
    previous = _previous_scene(db, show, act, previous_scene_id)
    scene = Scene(show_id=show.id, act_id=act.id, name=name)
    db.add(scene)
    db.flush()
    _place_scene(db, act, scene, previous)
    record(db, show.id, Change.SCENES, Change.ACTS)
    return scene


def update_scene(
    db: Session,
    show: Show,
    scene_id: int,
    act_id: int,
    name: str,
    previous_scene_id: int | None,
) -> Scene:
    refuse_while_live(show)
    scene = found(db, Scene, show, scene_id, SCENE_NOT_FOUND)
    if previous_scene_id is not None and previous_scene_id == scene.id:
        raise Invalid("Previous scene cannot be current scene")
    act = found(db, Act, show, act_id, ACT_NOT_FOUND)
    previous = _previous_scene(db, show, act, previous_scene_id)
    scene.name = name
    if scene.act_id != act.id or scene.previous_scene_id != previous_scene_id:
        _unlink_scene(db, db.get(Act, scene.act_id), scene)  # type: ignore[arg-type]
        _place_scene(db, act, scene, previous)
    db.flush()
    record(db, show.id, Change.SCENES, Change.ACTS)
    return scene


def delete_scene(db: Session, show: Show, scene_id: int) -> None:
    """Delete a scene (and what is allocated to it or assigned in it)."""
    refuse_while_live(show)
    scene = found(db, Scene, show, scene_id, SCENE_NOT_FOUND)
    act = db.get(Act, scene.act_id)
    assert act is not None
    _unlink_scene(db, act, scene)
    db.delete(scene)
    db.flush()
    record(db, show.id, Change.SCENES, Change.ACTS)


def running_order(db: Session, show: Show) -> list[tuple[Act, list[Scene]]]:
    """The show's acts in order, each with its scenes in order."""
    acts: list[tuple[Act, list[Scene]]] = []
    act = _act_after(db, show, None)
    while act is not None and len(acts) < 10_000:
        scenes: list[Scene] = []
        scene = _scene_after(db, act, None)
        while scene is not None and len(scenes) < 10_000:
            scenes.append(scene)
            scene = _scene_after(db, act, scene.id)
        acts.append((act, scenes))
        act = _act_after(db, show, act.id)
    return acts
