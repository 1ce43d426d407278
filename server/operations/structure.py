"""A show's running order: its acts, and each act's scenes.

The running order is two kinds of singly linked list (`Chain`): the show's acts
(`Show.first_act_id`, then each act's `previous_act_id`) and each act's scenes
(`Act.first_scene_id`, then each scene's `previous_scene_id`). Every change here keeps them
lists: each act (scene) followed by at most one other, no cycle, every link within the show
(the act), the first one with nothing before it. An act or scene named with a previous one is
inserted after it, the one that followed it moving up behind it; moving one takes it out first,
its follower moving up; deleting one closes the gap the same way. As in DigiScript, one added or
moved with no previous one becomes the first if there is none yet, and is otherwise left out of
the running order until placed (DigiScript's client lists such acts and scenes after the running
order and offers them as anyone's previous one). The loaded show's row is locked by every write
transaction before any of this is read, so two clients inserting at the same place queue.

Nothing of another show is ever found: its ids answer as missing ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
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


def found(db: Session, model: Any, show: Show, object_id: int | None, message: str) -> Any:
    """The row of `model` with this id if it belongs to the show; NotFound otherwise."""
    row = of_show(db, model, show, object_id)
    if row is None:
        raise NotFound(message)
    return row


# -- the two running orders -------------------------------------------------------------------


@dataclass(frozen=True)
class Chain:
    """One kind of running order: the rows of `model` whose `scope` column names an owner (a
    show's acts, an act's scenes), each naming the one before it in `link`, the owner's `head`
    naming the first. Its messages are DigiScript's for a bad previous one."""

    model: Any
    link: str  # the member's column naming the member before it
    head: str  # the owner's column naming its first member
    scope: str  # the member's column naming its owner
    previous_not_found: str
    previous_is_itself: str
    previous_elsewhere: str

    def after(self, db: Session, owner: Show | Act, member_id: int | None) -> Any:
        """The owner's member that follows this one (the owner's first, given None)."""
        if member_id is None:
            first = getattr(owner, self.head)
            return db.get(self.model, first) if first is not None else None
        return db.scalar(
            select(self.model).where(
                getattr(self.model, self.scope) == owner.id,
                getattr(self.model, self.link) == member_id,
            )
        )

    def place(self, db: Session, owner: Show | Act, member: Any, previous: Any) -> None:
        """Put a member that is linked to no other into the owner after `previous`, the member
        that followed it moving up behind it; given None, make it the owner's first if it has
        none."""
        setattr(member, self.scope, owner.id)  # a scene may be moving to another act
        db.flush()
        if previous is None:
            if getattr(owner, self.head) is None:
                setattr(owner, self.head, member.id)
                db.flush()
            return
        follower = self.after(db, owner, previous.id)
        setattr(member, self.link, previous.id)
        db.flush()
        if follower is not None and follower.id != member.id:
            setattr(follower, self.link, member.id)
            db.flush()

    def unlink(self, db: Session, owner: Show | Act, member: Any) -> None:
        """Take a member out of the owner's chain, its follower moving up behind its previous
        one."""
        follower = self.after(db, owner, member.id)
        if follower is not None:
            setattr(follower, self.link, getattr(member, self.link))
        if getattr(owner, self.head) == member.id:
            setattr(owner, self.head, follower.id if follower is not None else None)
        setattr(member, self.link, None)
        db.flush()

    def refuse_itself(self, member: Any, previous_id: int | None) -> None:
        """No member is its own previous one."""
        if previous_id is not None and previous_id == member.id:
            raise Invalid(self.previous_is_itself)

    def previous(
        self, db: Session, show: Show, previous_id: int | None, *, owner: Show | Act
    ) -> Any:
        """The member named as the previous one (None for none); Invalid unless it is one of
        the owner's."""
        if previous_id is None:
            return None
        previous = of_show(db, self.model, show, previous_id)
        if previous is None:
            raise Invalid(self.previous_not_found)
        if getattr(previous, self.scope) != owner.id:
            raise Invalid(self.previous_elsewhere)
        return previous

    def followers(self, members: Iterable[Any]) -> dict[int, int]:
        """Each member's id to the id of the member that follows it (a member that nothing
        follows has no entry)."""
        return {getattr(m, self.link): m.id for m in members if getattr(m, self.link) is not None}

    def in_order(self, members: Iterable[Any], first_id: int | None) -> list[Any]:
        """An owner's members in running order from `first_id`, the one its head names; those
        not in the running order are left out, and a cycle ends it."""
        by_id = {m.id: m for m in members}
        after = self.followers(by_id.values())
        ordered: list[Any] = []
        seen: set[int] = set()
        member_id = first_id
        while member_id is not None and member_id in by_id and member_id not in seen:
            seen.add(member_id)
            ordered.append(by_id[member_id])
            member_id = after.get(member_id)
        return ordered


ACTS = Chain(
    model=Act,
    link="previous_act_id",
    head="first_act_id",
    scope="show_id",
    previous_not_found="Previous act not found",
    previous_is_itself="Previous act cannot be current act",
    # Never said: an act of another show is not found at all.
    previous_elsewhere="Previous act must be in the same show",
)

SCENES = Chain(
    model=Scene,
    link="previous_scene_id",
    head="first_scene_id",
    scope="act_id",
    previous_not_found="Previous scene not found",
    previous_is_itself="Previous scene cannot be current scene",
    previous_elsewhere="Previous scene must be in the same act as new scene",
)


def running_order(db: Session, show: Show) -> list[tuple[Act, list[Scene]]]:
    """The show's acts in order, each with its scenes in order (acts and scenes not placed in
    the running order are left out)."""
    acts = db.scalars(select(Act).where(Act.show_id == show.id))
    scenes_of: dict[int, list[Scene]] = defaultdict(list)
    for scene in db.scalars(select(Scene).where(Scene.show_id == show.id)):
        scenes_of[scene.act_id].append(scene)
    return [
        (act, SCENES.in_order(scenes_of[act.id], act.first_scene_id))
        for act in ACTS.in_order(acts, show.first_act_id)
    ]


# -- acts -------------------------------------------------------------------------------------


def list_acts(db: Session, show: Show) -> list[dict[str, Any]]:
    acts = list(db.scalars(select(Act).where(Act.show_id == show.id).order_by(Act.id)))
    scenes = db.execute(
        select(Scene.id, Scene.act_id).where(Scene.show_id == show.id).order_by(Scene.id)
    ).all()
    scenes_of: dict[int, list[int]] = defaultdict(list)
    for scene_id, act_id in scenes:
        scenes_of[act_id].append(scene_id)
    next_of = ACTS.followers(acts)
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


def _record_acts(db: Session, show: Show, first_act_before: int | None) -> None:
    record(db, show.id, Change.ACTS)
    if show.first_act_id != first_act_before:
        record(db, show.id, SHOW_DETAILS_CHANGED)


def create_act(
    db: Session, show: Show, name: str, interval_after: bool, previous_act_id: int | None
) -> Act:
    refuse_while_live(show)
    previous = ACTS.previous(db, show, previous_act_id, owner=show)
    first_before = show.first_act_id
    act = Act(show_id=show.id, name=name, interval_after=interval_after)
    db.add(act)
    db.flush()
    ACTS.place(db, show, act, previous)
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
    ACTS.refuse_itself(act, previous_act_id)
    previous = ACTS.previous(db, show, previous_act_id, owner=show)
    first_before = show.first_act_id
    act.name = name
    act.interval_after = interval_after
    if act.previous_act_id != previous_act_id:
        ACTS.unlink(db, show, act)
        ACTS.place(db, show, act, previous)
    db.flush()
    _record_acts(db, show, first_before)
    return act


def delete_act(db: Session, show: Show, act_id: int) -> None:
    """Delete an act and its scenes (and what is allocated to them)."""
    refuse_while_live(show)
    act = found(db, Act, show, act_id, ACT_NOT_FOUND)
    first_before = show.first_act_id
    ACTS.unlink(db, show, act)
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
    next_of = SCENES.followers(scenes)
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


def _act_of(db: Session, scene: Scene) -> Act:
    act = db.get(Act, scene.act_id)
    assert act is not None  # a scene's act goes with it
    return act


def create_scene(
    db: Session, show: Show, act_id: int, name: str, previous_scene_id: int | None
) -> Scene:
    refuse_while_live(show)
    act = found(db, Act, show, act_id, ACT_NOT_FOUND)
    previous = SCENES.previous(db, show, previous_scene_id, owner=act)
    scene = Scene(show_id=show.id, act_id=act.id, name=name)
    db.add(scene)
    db.flush()
    SCENES.place(db, act, scene, previous)
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
    SCENES.refuse_itself(scene, previous_scene_id)
    act = found(db, Act, show, act_id, ACT_NOT_FOUND)
    previous = SCENES.previous(db, show, previous_scene_id, owner=act)
    scene.name = name
    if scene.act_id != act.id or scene.previous_scene_id != previous_scene_id:
        SCENES.unlink(db, _act_of(db, scene), scene)
        SCENES.place(db, act, scene, previous)
    db.flush()
    record(db, show.id, Change.SCENES, Change.ACTS)
    return scene


def delete_scene(db: Session, show: Show, scene_id: int) -> None:
    """Delete a scene (and what is allocated to it or assigned in it)."""
    refuse_while_live(show)
    scene = found(db, Scene, show, scene_id, SCENE_NOT_FOUND)
    SCENES.unlink(db, _act_of(db, scene), scene)
    db.delete(scene)
    db.flush()
    record(db, show.id, Change.SCENES, Change.ACTS)
