"""Two stage managers changing the same cell at once: the last write wins and both changes are
in the session's log, in the order they were applied (threads with their own engines)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from server.db import Database
from server.models import Cast, Character, SessionEvent, Show, User
from server.operations import casting
from server.operations.sessions import schedule_session
from server.operations.shows import create_show
from server.operations.users import create_user
from tests.conftest import NOW
from tests.sessions.test_concurrency import race


def test_two_edits_of_one_cell_both_apply_in_turn_and_are_both_logged(database_url):
    database = Database(database_url)
    try:
        with database.write() as db:
            user = create_user(db, "admin", "password1", True, NOW)
            show = create_show(db, "Hamlet", dt.date(2026, 12, 1), dt.date(2027, 1, 31), 1, NOW)
            members = [Cast(show_id=show.id, first_name=n) for n in ("Ada", "Sam", "Kit")]
            db.add_all(members)
            db.flush()
            hamlet = Character(show_id=show.id, name="Hamlet")
            db.add(hamlet)
            db.flush()
            ada, sam, kit = (m.id for m in members)
            casting.replace_pool(db, show, hamlet.id, [ada, sam, kit], user, NOW)
            session = schedule_session(db, show, user, NOW, NOW + dt.timedelta(days=3))
            show_id, user_id, hamlet_id = show.id, user.id, hamlet.id

        def edit(cast_id: int):
            def attempt() -> None:
                engine = Database(database_url)
                try:
                    with engine.write() as db:
                        show = db.get_one(Show, show_id)
                        actor = db.get_one(User, user_id)
                        casting.change_casting(db, show, session, {hamlet_id: cast_id}, actor, NOW)
                finally:
                    engine.dispose()

            return attempt

        for _ in range(3):
            race([edit(sam), edit(kit)])
            with database.read() as db:
                show = db.get_one(Show, show_id)
                final = casting.session_casting(db, show, session)["casting"][0]["cast_id"]
                events = db.scalars(
                    select(SessionEvent)
                    .where(
                        SessionEvent.session_id == session, SessionEvent.kind == "casting_changed"
                    )
                    .order_by(SessionEvent.id)
                ).all()
            changes = [e.details["changes"][0] for e in events]
            # Each edit saw the one before it: the log is a chain ending at the final value.
            assert changes[-1]["new_cast_id"] == final
            for before, after in zip(changes, changes[1:], strict=False):
                assert after["old_cast_id"] == before["new_cast_id"]
            # Put Ada back so the next round's two edits both change something.
            with database.write() as db:
                show = db.get_one(Show, show_id)
                actor = db.get_one(User, user_id)
                casting.change_casting(db, show, session, {hamlet_id: ada}, actor, NOW)
        with database.read() as db:
            count = len(
                db.scalars(
                    select(SessionEvent).where(
                        SessionEvent.session_id == session, SessionEvent.kind == "casting_changed"
                    )
                ).all()
            )
        assert count == 3 * 3  # two edits and the reset in each round, none lost
    finally:
        database.dispose()
