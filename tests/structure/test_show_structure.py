"""The show's own hold on its structure: its first act is one of its acts, and deleting a show
deletes its acts, scenes, characters, groups, cast, crew, props and scenery."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from server.db import Database
from server.models import (
    Act,
    Cast,
    Character,
    CharacterGroup,
    Crew,
    CrewAssignment,
    Props,
    PropsAllocation,
    PropType,
    Scene,
    Scenery,
    SceneryAllocation,
    SceneryType,
    Show,
    character_group_association,
)

DETAILS = {"name": "Hamlet", "start_date": "2026-12-01", "end_date": "2027-01-31"}

EVERYTHING = [
    Act,
    Scene,
    Cast,
    Character,
    CharacterGroup,
    Crew,
    PropType,
    Props,
    SceneryType,
    Scenery,
    PropsAllocation,
    SceneryAllocation,
    CrewAssignment,
]


def build_structure(database: Database, show_id: int) -> int:
    """One of everything for the show, linked the way the running order links them; the
    first act's id."""
    with database.write() as db:
        first = Act(show_id=show_id, name="Act 1", interval_after=True)
        db.add(first)
        db.flush()
        second = Act(show_id=show_id, name="Act 2", previous_act_id=first.id)
        db.add(second)
        db.flush()
        scene = Scene(show_id=show_id, act_id=first.id, name="Elsinore")
        db.add(scene)
        db.flush()
        db.add(Scene(show_id=show_id, act_id=first.id, name="Platform", previous_scene_id=scene.id))
        first.first_scene_id = scene.id
        cast = Cast(show_id=show_id, first_name="Ada", last_name="Lane")
        db.add(cast)
        db.flush()
        character = Character(show_id=show_id, name="Hamlet", played_by=cast.id)
        group = CharacterGroup(show_id=show_id, name="Royals", characters=[character])
        db.add_all([character, group])
        crew = Crew(show_id=show_id, first_name="Sam")
        prop_type = PropType(show_id=show_id, name="Hand props")
        scenery_type = SceneryType(show_id=show_id, name="Flats")
        db.add_all([crew, prop_type, scenery_type])
        db.flush()
        prop = Props(show_id=show_id, prop_type_id=prop_type.id, name="Skull")
        scenery = Scenery(show_id=show_id, scenery_type_id=scenery_type.id, name="Battlements")
        db.add_all([prop, scenery])
        db.flush()
        db.add_all(
            [
                PropsAllocation(props_id=prop.id, scene_id=scene.id),
                SceneryAllocation(scenery_id=scenery.id, scene_id=scene.id),
                CrewAssignment(
                    crew_id=crew.id, scene_id=scene.id, assignment_type="set", prop_id=prop.id
                ),
            ]
        )
        db.flush()
        return first.id


def count(database: Database, model) -> int:
    with database.read() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.gen_test
async def test_the_first_act_must_be_an_act_of_the_loaded_show(admin, show, database):
    other = await admin.create_show("Othello", load=False)
    theirs = build_structure(database, other)
    ours = build_structure(database, show)

    r = await admin.patch("/show", {**DETAILS, "first_act_id": theirs})
    assert (r.code, r.message) == (404, "404 act not found")
    r = await admin.patch("/show", {**DETAILS, "first_act_id": theirs + 1000})
    assert (r.code, r.message) == (404, "404 act not found")
    assert (await admin.get("/show")).json["first_act_id"] is None

    r = await admin.patch("/show", {**DETAILS, "first_act_id": ours})
    assert r.code == 200, r
    assert (await admin.get("/show")).json["first_act_id"] == ours


@pytest.mark.gen_test
async def test_deleting_a_show_deletes_its_structure_people_and_stage(admin, show, database):
    doomed = await admin.create_show("Othello", load=False)
    first = build_structure(database, doomed)
    build_structure(database, show)
    with database.write() as db:
        db.execute(update(Show).where(Show.id == doomed).values(first_act_id=first))

    r = await admin.delete(f"/show?id={doomed}")
    assert r.code == 200, r

    for model in EVERYTHING:
        assert count(database, model) == (2 if model in (Act, Scene) else 1), model
    with database.read() as db:
        links = db.execute(select(func.count()).select_from(character_group_association))
        assert links.scalar_one() == 1
        assert {a.show_id for a in db.scalars(select(Act))} == {show}
