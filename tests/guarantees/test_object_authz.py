"""Who may call what, endpoint by endpoint, and objects of another show.

Every documented operation is called by each identity the contract knows: anonymous, a bad
token, an expired token, the token of a deleted user, READ, WRITE and EXECUTE on the loaded show,
and an admin. A refused call (401/403) answers `{"message"}` and changes nothing. Any id naming an
object of another show answers as a missing one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from sqlalchemy import delete, select

from server.auth import issue_token
from server.db import Database
from server.handlers import openapi
from server.handlers.base import ROUTES
from server.models import User, UserOverride
from server.operations import clients, settings
from server.roles import Role
from tests.conftest import BACKEND, NOW, Api
from tests.db_state import snapshot
from tests.stage.helpers import scene_on_stage

# -- identities -------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
BAD_TOKEN = "bad-token"
EXPIRED_TOKEN = "expired-token"
DELETED_USER = "deleted-user"
READ = "READ"
WRITE = "WRITE"
EXECUTE = "EXECUTE"
ADMIN = "admin"
IDENTITIES = [ANONYMOUS, BAD_TOKEN, EXPIRED_TOKEN, DELETED_USER, READ, WRITE, EXECUTE, ADMIN]
NOT_LOGGED_IN = {ANONYMOUS, BAD_TOKEN, EXPIRED_TOKEN, DELETED_USER}
ROLE_OF = {READ: Role.READ, WRITE: Role.WRITE, EXECUTE: Role.EXECUTE}

# -- what each kind of endpoint answers each identity -----------------------------------------

PUBLIC = "public"  # anyone, whatever token (or none) they carry
READER = "reader"  # anyone, but a token that is sent must be good
LOGGED_IN = "logged-in"
NEEDS_WRITE = "WRITE"
NEEDS_EXECUTE = "EXECUTE"
ADMIN_ONLY = "admin"
SQLITE_ADMIN = "admin, SQLite"  # admins only; 400 on PostgreSQL (database backups)
USER_CREATION = "user-creation"  # once a user exists: admins only, a bad token is no login
OWNER = "owner"  # the caller's own object; the scene's are the admin's: admins only
# Admins only; the admin's request is bad input (400), as a good one would answer until the
# client leaves (the live log stream).
ADMIN_400 = "admin, bad input"
SIGNED_IN_404 = "logged-in, 404"  # anyone logged in is answered 404 (cue types: none yet)


def expected_status(level: str, identity: str) -> int:
    if level == OWNER:
        level = ADMIN_ONLY
    if level == SIGNED_IN_404:
        signed_in = identity == ADMIN or identity in ROLE_OF
        return 404 if signed_in else expected_status(LOGGED_IN, identity)
    if level == ADMIN_400:
        level = ADMIN_ONLY
        if identity == ADMIN:
            return 400
    if level == SQLITE_ADMIN:  # PostgreSQL's backups are pg_dump's: admins are told so
        if identity == ADMIN and BACKEND == "postgresql":
            return 400
        level = ADMIN_ONLY
    if level == PUBLIC:
        return 200
    if level == USER_CREATION:
        return 401 if identity in NOT_LOGGED_IN else 200 if identity == ADMIN else 403
    if identity in (BAD_TOKEN, EXPIRED_TOKEN, DELETED_USER):
        return 401
    if level == READER:
        return 200
    if identity == ANONYMOUS:
        return 401
    if identity == ADMIN or level == LOGGED_IN:
        return 200
    if level == ADMIN_ONLY:
        return 403
    return 200 if identity == level else 403


@dataclass
class Scene:
    admin: Api
    database: Database
    show: int
    tag: int
    session: int
    target_user: int
    client_id: str
    other_show: int
    other_tag: int
    other_session: int
    other_revision: int
    names: itertools.count[int]

    def unique(self, prefix: str) -> str:
        return f"{prefix}{next(self.names)}"

    async def current_revision(self) -> int:
        r = await self.admin.get("/show/script/revisions/current")
        return int(r.json["current_revision"])


@dataclass(frozen=True)
class Call:
    path: str
    body: Any = None
    fresh_token: bool = False  # the call ends the token it uses (logout)
    raw: bytes | None = None  # a body that is not JSON (a CSV import), sent as it is


Prepare = Callable[[Scene], Awaitable[Call]]


@dataclass(frozen=True)
class Endpoint:
    pattern: str
    method: str
    level: str
    prepare: Prepare
    cleanup: Callable[[Scene], Awaitable[None]] | None = None


def call(path: str, body: Any = None, fresh_token: bool = False) -> Prepare:
    async def prepare(_scene: Scene) -> Call:
        return Call(path, body, fresh_token)

    return prepare


def with_scene(build: Callable[[Scene], Call]) -> Prepare:
    async def prepare(scene: Scene) -> Call:
        return build(scene)

    return prepare


async def _fresh_session(scene: Scene) -> Call:
    session = await scene.admin.schedule("2026-12-10T19:30:00")
    return Call(f"/api/v1/show/sessions/{session}")


async def _fresh_session_to_cancel(scene: Scene) -> Call:
    session = await scene.admin.schedule("2026-12-10T19:30:00")
    return Call(f"/api/v1/show/sessions/{session}/cancel", {"reason": "Snow"})


async def _cancelled_session(scene: Scene) -> Call:
    session = await scene.admin.schedule("2026-12-10T19:30:00")
    r = await scene.admin.post(f"/show/sessions/{session}/cancel", {"reason": "Snow"})
    assert r.code == 200, r
    return Call(f"/api/v1/show/sessions/{session}/reinstate")


async def _fresh_tag(scene: Scene) -> Call:
    tag = await scene.admin.create_tag(scene.unique("Doomed "))
    return Call(f"/api/v1/show/session/tags?id={tag}")


async def _fresh_user(scene: Scene) -> Call:
    name = scene.unique("leaving")
    await scene.admin.create_user(name)
    user = await scene.admin.user_id(await scene.admin.login(name))
    return Call(f"/api/v2/users?id={user}")


async def _fresh_user_edit(scene: Scene) -> Call:
    return Call((await _fresh_user(scene)).path, {"is_admin": False})


async def _fresh_user_reset(scene: Scene) -> Call:
    user = int((await _fresh_user(scene)).path.rpartition("=")[2])
    return Call("/api/v1/auth/reset-password", {"user_id": user})


# Changing one's password ends every token of one's own; the versions are put back afterwards
# so that the identities' tokens keep working for the rows after it.
_TOKEN_VERSIONS: dict[int, int] = {}


async def _keeping_token_versions(scene: Scene) -> Call:
    with scene.database.read() as db:
        _TOKEN_VERSIONS.clear()
        _TOKEN_VERSIONS.update(
            {row.id: row.token_version for row in db.execute(select(User.id, User.token_version))}
        )
    body = {"old_password": "password1", "new_password": "password1"}
    return Call("/api/v1/auth/change-password", body, fresh_token=True)


async def _restore_token_versions(scene: Scene) -> None:
    with scene.database.write() as db:
        for user in db.scalars(select(User).where(User.id.in_(list(_TOKEN_VERSIONS)))):
            user.token_version = _TOKEN_VERSIONS[user.id]


async def _live_session(scene: Scene) -> Call:
    r = await scene.admin.start_adhoc(scene.client_id)
    assert r.code == 200, r
    return Call("/api/v1/show/sessions/stop")


async def _stop_if_live(scene: Scene) -> None:
    r = await scene.admin.post("/show/sessions/stop")
    assert r.code in (200, 409), r


async def _current_revision(scene: Scene) -> Call:
    body = {"new_rev_id": await scene.current_revision()}
    return Call("/api/v1/show/script/revisions/current", body)


async def _fresh_show(scene: Scene) -> Call:
    show = await scene.admin.create_show(scene.unique("Doomed "), load=False)
    return Call(f"/api/v1/show?id={show}")


async def _fresh_revision(scene: Scene) -> Call:
    r = await scene.admin.post(
        "/show/script/revisions", {"description": "Doomed", "set_as_current": False}
    )
    assert r.code == 200, r
    return Call(f"/api/v1/show/script/revisions?rev_id={r.json['id']}")


STYLE = {"description": "Whisper", "textFormat": "lower", "textColour": "#808080"}


async def _fresh_style(scene: Scene) -> int:
    r = await scene.admin.post("/show/script/stage_direction_styles", STYLE)
    assert r.code == 200, r
    return int(r.json["id"])


async def _style_edit(scene: Scene) -> Call:
    body = {**STYLE, "id": await _fresh_style(scene), "bold": True}
    return Call("/api/v1/show/script/stage_direction_styles", body)


async def _style_delete(scene: Scene) -> Call:
    return Call(f"/api/v1/show/script/stage_direction_styles?id={await _fresh_style(scene)}")


ACTS = r"/api/v1/show/act"
SCENES = r"/api/v1/show/scene"


async def _fresh_act(scene: Scene) -> int:
    r = await scene.admin.post(ACTS, {"name": scene.unique("Act "), "interval_after": False})
    assert r.code == 200, r
    return int(r.json["id"])


async def _fresh_scene(scene: Scene) -> tuple[int, int]:
    act = await _fresh_act(scene)
    r = await scene.admin.post(SCENES, {"act_id": act, "name": scene.unique("Scene ")})
    assert r.code == 200, r
    return act, int(r.json["id"])


async def _act_edit(scene: Scene) -> Call:
    body = {"id": await _fresh_act(scene), "name": "Renamed", "interval_after": True}
    return Call(ACTS, body)


async def _act_delete(scene: Scene) -> Call:
    return Call(f"{ACTS}?id={await _fresh_act(scene)}")


async def _first_scene(scene: Scene) -> Call:
    act, first = await _fresh_scene(scene)
    return Call(ACTS + "/first_scene", {"act_id": act, "scene_id": first})


async def _scene_add(scene: Scene) -> Call:
    return Call(SCENES, {"act_id": await _fresh_act(scene), "name": "Added"})


async def _scene_edit(scene: Scene) -> Call:
    act, scene_id = await _fresh_scene(scene)
    return Call(SCENES, {"scene_id": scene_id, "act_id": act, "name": "Renamed"})


async def _scene_delete(scene: Scene) -> Call:
    return Call(f"{SCENES}?id={(await _fresh_scene(scene))[1]}")


CHARACTERS = r"/api/v1/show/character"
GROUPS = r"/api/v1/show/character/group"
CAST = r"/api/v1/show/cast"


async def _fresh(scene: Scene, path: str, body: dict[str, Any]) -> int:
    r = await scene.admin.post(path, body)
    assert r.code == 200, r
    return int(r.json["id"])


async def _fresh_character(scene: Scene) -> int:
    return await _fresh(scene, CHARACTERS, {"name": scene.unique("Extra ")})


async def _character_edit(scene: Scene) -> Call:
    return Call(CHARACTERS, {"id": await _fresh_character(scene), "name": "Renamed"})


async def _character_delete(scene: Scene) -> Call:
    return Call(f"{CHARACTERS}?id={await _fresh_character(scene)}")


async def _character_merge(scene: Scene) -> Call:
    body = {
        "source_id": await _fresh_character(scene),
        "destination_id": await _fresh_character(scene),
    }
    return Call(CHARACTERS + "/merge", body)


async def _fresh_group(scene: Scene) -> int:
    return await _fresh(scene, GROUPS, {"name": scene.unique("Crowd "), "characters": []})


async def _group_edit(scene: Scene) -> Call:
    body = {"id": await _fresh_group(scene), "name": "Renamed", "characters": []}
    return Call(GROUPS, body)


async def _group_delete(scene: Scene) -> Call:
    return Call(f"{GROUPS}?id={await _fresh_group(scene)}")


async def _fresh_cast(scene: Scene) -> int:
    return await _fresh(scene, CAST, {"firstName": scene.unique("Player "), "lastName": "Lane"})


async def _cast_edit(scene: Scene) -> Call:
    body = {"id": await _fresh_cast(scene), "firstName": "Renamed", "lastName": "Lane"}
    return Call(CAST, body)


async def _cast_delete(scene: Scene) -> Call:
    return Call(f"{CAST}?id={await _fresh_cast(scene)}")


POOLS = r"/api/v1/show/casting/pools"


async def _pool_replace(scene: Scene) -> Call:
    character = await _fresh_character(scene)
    return Call(f"{POOLS}/{character}", {"cast_ids": [await _fresh_cast(scene)]})


async def _session_casting_edit(scene: Scene) -> Call:
    member = await _fresh_cast(scene)
    body = {"name": scene.unique("Extra "), "played_by": member}
    character = await _fresh(scene, CHARACTERS, body)
    return Call(f"/api/v1/show/sessions/{scene.session}/casting", {"casting": {character: member}})


STAGE = "/api/v1/show/stage"
# Props and scenery: the path, the item's key naming its type, the allocation's key naming it.
STAGE_KINDS = [("props", "prop_type_id", "props_id"), ("scenery", "scenery_type_id", "scenery_id")]


async def _stage_post(scene: Scene, path: str, body: dict[str, Any]) -> int:
    r = await scene.admin.post(path, body)
    assert r.code == 200, r
    return int(r.json["id"])


async def _stage_type(scene: Scene, kind: str) -> int:
    return await _stage_post(scene, f"{STAGE}/{kind}/types", {"name": scene.unique("Type ")})


async def _stage_item(scene: Scene, kind: str, type_key: str) -> int:
    body = {"name": scene.unique("Item "), type_key: await _stage_type(scene, kind)}
    return await _stage_post(scene, f"{STAGE}/{kind}", body)


async def _stage_allocation(scene: Scene, kind: str, type_key: str, item_key: str) -> int:
    body = {item_key: await _stage_item(scene, kind, type_key), "scene_id": _on_stage(scene)}
    return await _stage_post(scene, f"{STAGE}/{kind}/allocations", body)


def _on_stage(scene: Scene) -> int:
    return scene_on_stage(scene.database, scene.show)


async def _crew_member(scene: Scene) -> int:
    body = {"firstName": scene.unique("Crew "), "lastName": "Hand"}
    return await _stage_post(scene, f"{STAGE}/crew", body)


async def _assignment_body(scene: Scene) -> dict[str, Any]:
    """A new crew member setting a new prop in the scene it is on stage for."""
    allocation = await _stage_allocation(scene, "props", "prop_type_id", "props_id")
    r = await scene.admin.get(f"{STAGE}/props/allocations")
    [prop] = [a["props_id"] for a in r.json["allocations"] if a["id"] == allocation]
    return {
        "crew_id": await _crew_member(scene),
        "scene_id": _on_stage(scene),
        "assignment_type": "set",
        "prop_id": prop,
    }


async def _assignment(scene: Scene) -> int:
    return await _stage_post(scene, f"{STAGE}/crew/assignments", await _assignment_body(scene))


def _stage_endpoints() -> list[Endpoint]:
    endpoints = []
    for kind, type_key, item_key in STAGE_KINDS:
        types, items, allocations = (
            f"{STAGE}/{kind}/types",
            f"{STAGE}/{kind}",
            f"{STAGE}/{kind}/allocations",
        )

        async def type_edit(s: Scene, kind: str = kind, types: str = types) -> Call:
            return Call(types, {"id": await _stage_type(s, kind), "name": "Renamed"})

        async def type_delete(s: Scene, kind: str = kind, types: str = types) -> Call:
            return Call(f"{types}?id={await _stage_type(s, kind)}")

        async def item_add(s: Scene, kind: str = kind, k: str = type_key) -> Call:
            return Call(f"{STAGE}/{kind}", {"name": "Added", k: await _stage_type(s, kind)})

        async def item_edit(s: Scene, kind: str = kind, k: str = type_key) -> Call:
            type_id = await _stage_type(s, kind)
            item = await _stage_post(s, f"{STAGE}/{kind}", {"name": "Mine", k: type_id})
            return Call(f"{STAGE}/{kind}", {"id": item, "name": "Renamed", k: type_id})

        async def item_delete(s: Scene, kind: str = kind, k: str = type_key) -> Call:
            return Call(f"{STAGE}/{kind}?id={await _stage_item(s, kind, k)}")

        async def allocation_add(
            s: Scene, kind: str = kind, k: str = type_key, i: str = item_key
        ) -> Call:
            body = {i: await _stage_item(s, kind, k), "scene_id": _on_stage(s)}
            return Call(f"{STAGE}/{kind}/allocations", body)

        async def allocation_delete(
            s: Scene, kind: str = kind, k: str = type_key, i: str = item_key
        ) -> Call:
            allocation = await _stage_allocation(s, kind, k, i)
            return Call(f"{STAGE}/{kind}/allocations?id={allocation}")

        endpoints += [
            Endpoint(types, "GET", READER, call(types)),
            Endpoint(types, "POST", NEEDS_WRITE, call(types, {"name": "Added"})),
            Endpoint(types, "PATCH", NEEDS_WRITE, type_edit),
            Endpoint(types, "DELETE", NEEDS_WRITE, type_delete),
            Endpoint(items, "GET", READER, call(items)),
            Endpoint(items, "POST", NEEDS_WRITE, item_add),
            Endpoint(items, "PATCH", NEEDS_WRITE, item_edit),
            Endpoint(items, "DELETE", NEEDS_WRITE, item_delete),
            Endpoint(allocations, "GET", READER, call(allocations)),
            Endpoint(allocations, "POST", NEEDS_WRITE, allocation_add),
            Endpoint(allocations, "DELETE", NEEDS_WRITE, allocation_delete),
        ]
    return endpoints


async def _crew_edit(scene: Scene) -> Call:
    body = {"id": await _crew_member(scene), "firstName": "Renamed", "lastName": "Hand"}
    return Call(f"{STAGE}/crew", body)


async def _crew_delete(scene: Scene) -> Call:
    return Call(f"{STAGE}/crew?id={await _crew_member(scene)}")


async def _assignment_add(scene: Scene) -> Call:
    return Call(f"{STAGE}/crew/assignments", await _assignment_body(scene))


async def _assignment_edit(scene: Scene) -> Call:
    body = {"id": await _assignment(scene), "assignment_type": "set"}
    return Call(f"{STAGE}/crew/assignments", body)


async def _assignment_delete(scene: Scene) -> Call:
    return Call(f"{STAGE}/crew/assignments?id={await _assignment(scene)}")


def _role_change(path: str) -> Prepare:
    return with_scene(
        lambda s: Call(
            path, {"resource": "shows", "object": {"id": s.show}, "user": s.target_user, "role": 1}
        )
    )


SESSION = r"/api/v1/show/sessions/([^/]+)"
TAGS = r"/api/v1/show/session/tags"
STYLES = r"/api/v1/show/script/stage_direction_styles"
LOGIN_BODY = {"username": "admin", "password": "password1"}
BACKUPS = r"/api/v1/admin/db-backups"


async def _a_backup(scene: Scene) -> int:
    """The created_at of a backup of the scene's database (made if there is none)."""
    listed = await scene.admin.get(BACKUPS)
    if listed.code == 200 and listed.json["backups"]:
        return int(listed.json["backups"][0]["created_at"])
    made = await scene.admin.post(BACKUPS)
    return int(made.json["backup"]["created_at"]) if made.code == 200 else 1


def _backup_named(path: str) -> Prepare:
    async def prepare(scene: Scene) -> Call:
        return Call(f"{path}?timestamp={await _a_backup(scene)}")

    return prepare


SD_OVERRIDES = r"/api/v1/user/settings/stage_direction_overrides"
CUE_OVERRIDES = r"/api/v1/user/settings/cue_colour_overrides"
OVERRIDE_LOOK = {"textFormat": "upper", "textColour": "#ff0000"}


async def _override_of_a_fresh_style(scene: Scene) -> Call:
    style = {"description": scene.unique("Aside "), "textFormat": "default", "textColour": "#fff"}
    r = await scene.admin.post(STYLES, style)
    assert r.code == 200, r
    return Call(SD_OVERRIDES, {"styleId": int(r.json["id"]), **OVERRIDE_LOOK})


async def _admins_style_override(scene: Scene) -> int:
    request = await _override_of_a_fresh_style(scene)
    r = await scene.admin.post(request.path, request.body)
    assert r.code == 200, r
    return int(r.json["id"])


async def _style_override_edit(scene: Scene) -> Call:
    return Call(SD_OVERRIDES, {"id": await _admins_style_override(scene), "bold": True})


async def _style_override_delete(scene: Scene) -> Call:
    return Call(f"{SD_OVERRIDES}?id={await _admins_style_override(scene)}")


def _admins_cue_override(scene: Scene) -> int:
    # Stored directly: the show has no cue types to override through the API yet.
    with scene.database.write() as db:
        admin_id = db.scalar(select(User.id).where(User.username == "admin"))
        cue_type = next(scene.names)
        row = UserOverride(
            user_id=admin_id,
            settings_type="cue_types",
            object_id=cue_type,
            settings={"id": cue_type, "colour": "#ff0000"},
        )
        db.add(row)
        db.flush()
        return row.id


async def _cue_override_edit(scene: Scene) -> Call:
    return Call(CUE_OVERRIDES, {"id": _admins_cue_override(scene), "colour": "#00ff00"})


async def _cue_override_delete(scene: Scene) -> Call:
    return Call(f"{CUE_OVERRIDES}?id={_admins_cue_override(scene)}")


ENDPOINTS = [
    Endpoint(r"/api/v1/health", "GET", PUBLIC, call("/api/v1/health")),
    Endpoint(r"/api/v1/openapi.json", "GET", PUBLIC, call("/api/v1/openapi.json")),
    Endpoint(r"/api/v1/settings", "GET", PUBLIC, call("/api/v1/settings")),
    Endpoint(
        r"/api/v1/settings",
        "PATCH",
        ADMIN_ONLY,
        with_scene(lambda s: Call("/api/v1/settings", {"current_show": s.show})),
    ),
    Endpoint(r"/api/v1/settings/raw", "GET", PUBLIC, call("/api/v1/settings/raw")),
    Endpoint(r"/api/v1/settings/categories", "GET", PUBLIC, call("/api/v1/settings/categories")),
    Endpoint(r"/api/v1/user/settings", "GET", LOGGED_IN, call("/api/v1/user/settings")),
    Endpoint(
        r"/api/v1/user/settings",
        "PATCH",
        LOGGED_IN,
        call("/api/v1/user/settings", {"cue_position_right": True}),
    ),
    Endpoint(
        r"/api/v1/logs/batch",
        "POST",
        PUBLIC,
        call("/api/v1/logs/batch", {"batch": [{"level": "INFO", "message": "curtain up"}]}),
    ),
    Endpoint(
        r"/api/v1/logs",
        "POST",
        PUBLIC,
        call("/api/v1/logs", {"level": "INFO", "message": "curtain up"}),
    ),
    Endpoint(r"/api/v1/show/script_modes", "GET", READER, call("/api/v1/show/script_modes")),
    Endpoint(
        r"/api/v1/auth/create",
        "POST",
        USER_CREATION,
        with_scene(
            lambda s: Call(
                "/api/v1/auth/create", {"username": s.unique("stagehand"), "password": "secret1"}
            )
        ),
    ),
    Endpoint(
        r"/api/v2/users",
        "POST",
        USER_CREATION,
        with_scene(
            lambda s: Call("/api/v2/users", {"username": s.unique("crew"), "password": "secret1"})
        ),
    ),
    Endpoint(r"/api/v2/users", "GET", ADMIN_ONLY, call("/api/v2/users")),
    Endpoint(r"/api/v2/users", "DELETE", ADMIN_ONLY, _fresh_user),
    Endpoint(r"/api/v1/auth/login", "POST", PUBLIC, call("/api/v1/auth/login", LOGIN_BODY)),
    Endpoint(
        r"/api/v1/auth/logout", "POST", LOGGED_IN, call("/api/v1/auth/logout", {}, fresh_token=True)
    ),
    Endpoint(r"/api/v1/auth/refresh-token", "POST", LOGGED_IN, call("/api/v1/auth/refresh-token")),
    Endpoint(r"/api/v1/auth", "GET", PUBLIC, call("/api/v1/auth")),
    Endpoint(r"/api/v1/auth/users", "GET", ADMIN_ONLY, call("/api/v1/auth/users")),
    # In this order: each identity makes a token, then revokes it.
    Endpoint(r"/api/v2/users/token", "GET", LOGGED_IN, call("/api/v2/users/token")),
    Endpoint(r"/api/v2/users/token", "POST", LOGGED_IN, call("/api/v2/users/token")),
    Endpoint(r"/api/v2/users/token", "DELETE", LOGGED_IN, call("/api/v2/users/token")),
    Endpoint(r"/api/v2/users", "PATCH", ADMIN_ONLY, _fresh_user_edit),
    Endpoint(r"/api/v1/auth/reset-password", "POST", ADMIN_ONLY, _fresh_user_reset),
    Endpoint(
        r"/api/v1/auth/change-password",
        "PATCH",
        LOGGED_IN,
        _keeping_token_versions,
        cleanup=_restore_token_versions,
    ),
    Endpoint(r"/api/v1/rbac/roles", "GET", READER, call("/api/v1/rbac/roles")),
    Endpoint(
        r"/api/v1/rbac/user/roles/grant",
        "POST",
        ADMIN_ONLY,
        _role_change("/api/v1/rbac/user/roles/grant"),
    ),
    Endpoint(
        r"/api/v1/rbac/user/roles/revoke",
        "POST",
        ADMIN_ONLY,
        _role_change("/api/v1/rbac/user/roles/revoke"),
    ),
    Endpoint(r"/api/v1/rbac/user/roles", "GET", LOGGED_IN, call("/api/v1/rbac/user/roles")),
    Endpoint(
        r"/api/v1/rbac/user/resources", "GET", ADMIN_ONLY, call("/api/v1/rbac/user/resources")
    ),
    Endpoint(
        r"/api/v1/rbac/user/objects",
        "GET",
        ADMIN_ONLY,
        call("/api/v1/rbac/user/objects?resource=shows"),
    ),
    Endpoint(r"/api/v1/show", "GET", READER, call("/api/v1/show")),
    Endpoint(
        r"/api/v1/show",
        "POST",
        ADMIN_ONLY,
        with_scene(
            lambda s: Call(
                "/api/v1/show",
                {
                    "name": s.unique("Lear "),
                    "start": "2027-02-01",
                    "end": "2027-03-01",
                    "script_mode": 1,
                },
            )
        ),
    ),
    Endpoint(r"/api/v1/shows", "GET", READER, call("/api/v1/shows")),
    Endpoint(
        r"/api/v1/show",
        "PATCH",
        NEEDS_WRITE,
        call(
            "/api/v1/show",
            {"name": "Hamlet", "start_date": "2026-12-01", "end_date": "2027-01-31"},
        ),
    ),
    Endpoint(r"/api/v1/show", "DELETE", ADMIN_ONLY, _fresh_show),
    Endpoint(r"/api/v1/show/script/revisions", "DELETE", NEEDS_WRITE, _fresh_revision),
    Endpoint(
        r"/api/v1/show/script/revisions", "GET", READER, call("/api/v1/show/script/revisions")
    ),
    Endpoint(
        r"/api/v1/show/script/revisions",
        "POST",
        NEEDS_WRITE,
        call("/api/v1/show/script/revisions", {"description": "Cuts", "set_as_current": False}),
    ),
    Endpoint(
        r"/api/v1/show/script/revisions/current",
        "GET",
        READER,
        call("/api/v1/show/script/revisions/current"),
    ),
    Endpoint(r"/api/v1/show/script/revisions/current", "POST", NEEDS_WRITE, _current_revision),
    Endpoint(r"/api/v1/show/sessions", "GET", READER, call("/api/v1/show/sessions")),
    Endpoint(
        r"/api/v1/show/sessions/schedule",
        "POST",
        NEEDS_EXECUTE,
        call("/api/v1/show/sessions/schedule", {"scheduled_date_time": "2026-12-09T19:30:00"}),
    ),
    Endpoint(
        r"/api/v1/show/sessions/start",
        "POST",
        NEEDS_EXECUTE,
        with_scene(lambda s: Call("/api/v1/show/sessions/start", {"session_id": s.client_id})),
        cleanup=_stop_if_live,
    ),
    Endpoint(
        r"/api/v1/show/sessions/stop", "POST", NEEDS_EXECUTE, _live_session, cleanup=_stop_if_live
    ),
    Endpoint(
        r"/api/v1/show/sessions/assign-tags",
        "PATCH",
        NEEDS_WRITE,
        with_scene(
            lambda s: Call(
                "/api/v1/show/sessions/assign-tags", {"session_id": s.session, "tag_ids": [s.tag]}
            )
        ),
    ),
    Endpoint(
        r"/api/v1/show/sessions/([^/]+)/log",
        "GET",
        READER,
        with_scene(lambda s: Call(f"/api/v1/show/sessions/{s.session}/log")),
    ),
    Endpoint(
        SESSION,
        "PATCH",
        NEEDS_EXECUTE,
        with_scene(
            lambda s: Call(
                f"/api/v1/show/sessions/{s.session}", {"scheduled_date_time": "2026-12-08T19:30:00"}
            )
        ),
    ),
    Endpoint(SESSION, "DELETE", NEEDS_EXECUTE, _fresh_session),
    Endpoint(
        r"/api/v1/show/sessions/schedule/series",
        "POST",
        NEEDS_EXECUTE,
        call(
            "/api/v1/show/sessions/schedule/series",
            {"from": "2026-12-14", "to": "2026-12-14", "slots": [{"weekday": 1, "time": "19:30"}]},
        ),
    ),
    Endpoint(
        r"/api/v1/show/sessions/import",
        "POST",
        NEEDS_EXECUTE,
        with_scene(lambda s: Call("/api/v1/show/sessions/import", raw=b"2026-12-15,19:30,\n")),
    ),
    Endpoint(r"/api/v1/show/sessions\.ics", "GET", READER, call("/api/v1/show/sessions.ics")),
    Endpoint(r"/api/v1/show/sessions\.csv", "GET", READER, call("/api/v1/show/sessions.csv")),
    Endpoint(
        r"/api/v1/show/sessions/([^/]+)/cancel", "POST", NEEDS_EXECUTE, _fresh_session_to_cancel
    ),
    Endpoint(r"/api/v1/show/sessions/([^/]+)/reinstate", "POST", NEEDS_EXECUTE, _cancelled_session),
    Endpoint(TAGS, "GET", READER, call("/api/v1/show/session/tags")),
    Endpoint(
        TAGS,
        "POST",
        NEEDS_WRITE,
        with_scene(
            lambda s: Call(
                "/api/v1/show/session/tags", {"tag": s.unique("Gala "), "colour": "#ffcc00"}
            )
        ),
    ),
    Endpoint(
        TAGS,
        "PATCH",
        NEEDS_WRITE,
        with_scene(
            lambda s: Call(
                "/api/v1/show/session/tags", {"id": s.tag, "tag": "Preview", "colour": "#00ccff"}
            )
        ),
    ),
    Endpoint(TAGS, "DELETE", NEEDS_WRITE, _fresh_tag),
    Endpoint(
        r"/api/v1/show/session/tags/import", "GET", READER, call("/api/v1/show/session/tags/import")
    ),
    Endpoint(STYLES, "GET", READER, call("/api/v1/show/script/stage_direction_styles")),
    Endpoint(STYLES, "POST", NEEDS_WRITE, call(STYLES, STYLE)),
    Endpoint(STYLES, "PATCH", NEEDS_WRITE, _style_edit),
    Endpoint(STYLES, "DELETE", NEEDS_WRITE, _style_delete),
    Endpoint(STYLES + "/import", "GET", LOGGED_IN, call(STYLES + "/import")),
    Endpoint(r"/api/v1/system/info", "GET", ADMIN_ONLY, call("/api/v1/system/info")),
    Endpoint(r"/api/v1/version/status", "GET", LOGGED_IN, call("/api/v1/version/status")),
    Endpoint(r"/api/v1/version/check", "POST", ADMIN_ONLY, call("/api/v1/version/check")),
    Endpoint(r"/api/v1/ws/sessions", "GET", ADMIN_ONLY, call("/api/v1/ws/sessions")),
    Endpoint(r"/api/v1/logs/view", "GET", ADMIN_ONLY, call("/api/v1/logs/view?level=WARN")),
    Endpoint(r"/api/v1/logs/stream", "GET", ADMIN_400, call("/api/v1/logs/stream?level=LOUD")),
    Endpoint(ACTS, "GET", READER, call(ACTS)),
    Endpoint(ACTS, "POST", NEEDS_WRITE, call(ACTS, {"name": "Act", "interval_after": False})),
    Endpoint(ACTS, "PATCH", NEEDS_WRITE, _act_edit),
    Endpoint(ACTS, "DELETE", NEEDS_WRITE, _act_delete),
    Endpoint(ACTS + "/first_scene", "POST", NEEDS_WRITE, _first_scene),
    Endpoint(SCENES, "GET", READER, call(SCENES)),
    Endpoint(SCENES, "POST", NEEDS_WRITE, _scene_add),
    Endpoint(SCENES, "PATCH", NEEDS_WRITE, _scene_edit),
    Endpoint(SCENES, "DELETE", NEEDS_WRITE, _scene_delete),
    Endpoint(CHARACTERS, "GET", READER, call(CHARACTERS)),
    Endpoint(CHARACTERS, "POST", NEEDS_WRITE, call(CHARACTERS, {"name": "Osric"})),
    Endpoint(CHARACTERS, "PATCH", NEEDS_WRITE, _character_edit),
    Endpoint(CHARACTERS, "DELETE", NEEDS_WRITE, _character_delete),
    Endpoint(CHARACTERS + "/merge", "POST", NEEDS_WRITE, _character_merge),
    Endpoint(CHARACTERS + "/stats", "GET", READER, call(CHARACTERS + "/stats")),
    Endpoint(GROUPS, "GET", READER, call(GROUPS)),
    Endpoint(GROUPS, "POST", NEEDS_WRITE, call(GROUPS, {"name": "Court", "characters": []})),
    Endpoint(GROUPS, "PATCH", NEEDS_WRITE, _group_edit),
    Endpoint(GROUPS, "DELETE", NEEDS_WRITE, _group_delete),
    Endpoint(CAST, "GET", READER, call(CAST)),
    Endpoint(CAST, "POST", NEEDS_WRITE, call(CAST, {"firstName": "Kit", "lastName": "Marlowe"})),
    Endpoint(CAST, "PATCH", NEEDS_WRITE, _cast_edit),
    Endpoint(CAST, "DELETE", NEEDS_WRITE, _cast_delete),
    Endpoint(CAST + "/stats", "GET", READER, call(CAST + "/stats")),
    *_stage_endpoints(),
    Endpoint(f"{STAGE}/crew", "GET", READER, call(f"{STAGE}/crew")),
    Endpoint(
        f"{STAGE}/crew",
        "POST",
        NEEDS_WRITE,
        call(f"{STAGE}/crew", {"firstName": "Added", "lastName": "Hand"}),
    ),
    Endpoint(f"{STAGE}/crew", "PATCH", NEEDS_WRITE, _crew_edit),
    Endpoint(f"{STAGE}/crew", "DELETE", NEEDS_WRITE, _crew_delete),
    Endpoint(f"{STAGE}/crew/assignments", "GET", READER, call(f"{STAGE}/crew/assignments")),
    Endpoint(f"{STAGE}/crew/assignments", "POST", NEEDS_WRITE, _assignment_add),
    Endpoint(f"{STAGE}/crew/assignments", "PATCH", NEEDS_WRITE, _assignment_edit),
    Endpoint(f"{STAGE}/crew/assignments", "DELETE", NEEDS_WRITE, _assignment_delete),
    Endpoint(SD_OVERRIDES, "GET", LOGGED_IN, call(SD_OVERRIDES)),
    Endpoint(SD_OVERRIDES, "POST", LOGGED_IN, _override_of_a_fresh_style),
    Endpoint(SD_OVERRIDES, "PATCH", OWNER, _style_override_edit),
    Endpoint(SD_OVERRIDES, "DELETE", OWNER, _style_override_delete),
    Endpoint(CUE_OVERRIDES, "GET", LOGGED_IN, call(CUE_OVERRIDES)),
    Endpoint(
        CUE_OVERRIDES,
        "POST",
        SIGNED_IN_404,
        call(CUE_OVERRIDES, {"cueTypeId": 1, "colour": "#f00"}),
    ),
    Endpoint(CUE_OVERRIDES, "PATCH", OWNER, _cue_override_edit),
    Endpoint(CUE_OVERRIDES, "DELETE", OWNER, _cue_override_delete),
    Endpoint(
        r"/api/v1/show/casting",
        "GET",
        READER,
        call("/api/v1/show/casting?from=2026-12-01&to=2026-12-31"),
    ),
    Endpoint(POOLS, "GET", READER, call(POOLS)),
    Endpoint(POOLS + r"/([^/]+)", "PUT", NEEDS_WRITE, _pool_replace),
    Endpoint(
        r"/api/v1/show/sessions/([^/]+)/casting",
        "GET",
        READER,
        with_scene(lambda s: Call(f"/api/v1/show/sessions/{s.session}/casting")),
    ),
    Endpoint(
        r"/api/v1/show/sessions/([^/]+)/casting", "PATCH", NEEDS_EXECUTE, _session_casting_edit
    ),
    Endpoint(
        r"/api/v1/show/sessions/([^/]+)/casting/changes",
        "GET",
        READER,
        with_scene(lambda s: Call(f"/api/v1/show/sessions/{s.session}/casting/changes")),
    ),
    Endpoint(
        r"/api/v1/show/sessions/([^/]+)/cast-sheet",
        "GET",
        READER,
        with_scene(lambda s: Call(f"/api/v1/show/sessions/{s.session}/cast-sheet?format=csv")),
    ),
    # Kept last: a restore puts back the database as a backup made just before had it.
    Endpoint(BACKUPS, "GET", SQLITE_ADMIN, call(BACKUPS)),
    Endpoint(BACKUPS, "POST", SQLITE_ADMIN, call(BACKUPS)),
    Endpoint(BACKUPS + "/download", "GET", SQLITE_ADMIN, _backup_named(BACKUPS + "/download")),
    Endpoint(BACKUPS + "/restore", "POST", SQLITE_ADMIN, _backup_named(BACKUPS + "/restore")),
    Endpoint(BACKUPS, "DELETE", SQLITE_ADMIN, _backup_named(BACKUPS)),
]


def test_every_documented_operation_is_in_the_identity_table():
    assert sorted({(e.pattern, e.method) for e in ENDPOINTS}) == sorted(openapi.operations(ROUTES))


# -- the scene --------------------------------------------------------------------------------


def register_client(database: Database) -> str:
    internal_id = str(uuid.uuid4())
    with database.write() as db:
        clients.register_client(db, internal_id, "127.0.0.1", NOW)
    return internal_id


@pytest.fixture
def scene(admin: Api, show: int, database: Database, io_loop: Any) -> Scene:
    """Hamlet (loaded) with a tag and a session; Macbeth with a tag, a session and a revision."""

    async def setup() -> Scene:
        other_show = await admin.create_show("Macbeth")
        other_tag = await admin.create_tag("Matinee")
        other_session = await admin.schedule("2026-12-05T14:00:00", tag_ids=[other_tag])
        other_revision = int(
            (await admin.get("/show/script/revisions/current")).json["current_revision"]
        )
        await admin.load_show(show)
        tag = await admin.create_tag("Preview")
        session = await admin.schedule("2026-12-01T19:30:00", tag_ids=[tag])
        await admin.create_user("target")
        target = await admin.user_id(await admin.login("target"))
        return Scene(
            admin=admin,
            database=database,
            show=show,
            tag=tag,
            session=session,
            target_user=target,
            client_id=register_client(database),
            other_show=other_show,
            other_tag=other_tag,
            other_session=other_session,
            other_revision=other_revision,
            names=itertools.count(1),
        )

    return io_loop.run_sync(setup)  # type: ignore[no-any-return]


class Tokens:
    """How each identity presents itself; users are logged in again when asked for afresh."""

    def __init__(self, scene: Scene) -> None:
        self.scene = scene
        self.fixed: dict[str, str | None] = {ANONYMOUS: None}

    async def setup(self, identity: str) -> None:
        admin, database = self.scene.admin, self.scene.database
        if identity == BAD_TOKEN:
            self.fixed[identity] = jwt.encode(
                {"user_id": 1, "token_version": 0, "iat": 0, "exp": 2**40, "jti": "x"},
                "a secret that is not the server's own secret",
                algorithm="HS256",
            )
        elif identity == EXPIRED_TOKEN:
            with database.write() as db:
                user = db.scalar(select(User).where(User.username == "admin"))
                assert user is not None
                secret = settings.jwt_secret(db)
                self.fixed[identity] = issue_token(user, secret, NOW - dt.timedelta(hours=25))
        elif identity == DELETED_USER:
            await admin.create_user("ghost")
            self.fixed[identity] = await admin.login("ghost")
            with database.write() as db:
                db.execute(delete(User).where(User.username == "ghost"))
        elif identity in ROLE_OF:
            await admin.create_user(identity.lower())
            token = await admin.login(identity.lower())
            await admin.grant(await admin.user_id(token), self.scene.show, int(ROLE_OF[identity]))
        elif identity == ADMIN:
            assert admin.token is not None

    async def token(self, identity: str, fresh: bool) -> str | None:
        if identity in self.fixed:
            return self.fixed[identity]
        username = "admin" if identity == ADMIN else identity.lower()
        if identity == ADMIN and not fresh:
            return self.scene.admin.token
        return await self.scene.admin.login(username)


# -- endpoint x identity ----------------------------------------------------------------------


@pytest.mark.gen_test(timeout=120)
@pytest.mark.parametrize("identity", IDENTITIES)
async def test_every_endpoint_answers_each_identity_as_the_contract_says(scene, identity):
    tokens = Tokens(scene)
    await tokens.setup(identity)
    cached: dict[str, str | None] = {}
    problems: list[str] = []
    for endpoint in ENDPOINTS:
        request = await endpoint.prepare(scene)
        if request.fresh_token:
            token = await tokens.token(identity, fresh=True)
        else:
            if identity not in cached:
                cached[identity] = await tokens.token(identity, fresh=False)
            token = cached[identity]
        before = snapshot(scene.database)
        r = await scene.admin.request(
            endpoint.method,
            request.path,
            request.body,
            token=token or "",
            headers=None,
            raw=request.raw,
        )
        wanted = expected_status(endpoint.level, identity)
        label = f"{endpoint.method} {request.path}"
        if r.code != wanted:
            problems.append(f"{label}: wanted {wanted}, got {r!r}")
        elif r.code in (401, 403):
            if not isinstance(r.message, str) or not r.message:
                problems.append(f"{label}: refusal without a message: {r!r}")
            if snapshot(scene.database) != before:
                problems.append(f"{label}: refused, yet the database changed")
        if endpoint.cleanup is not None:
            await endpoint.cleanup(scene)
    assert problems == []


# -- objects of another show ------------------------------------------------------------------


@dataclass(frozen=True)
class Foreign:
    name: str
    method: str
    request: Callable[[Scene], Call]
    status: int
    message: str


FOREIGN = [
    Foreign(
        "cancel another show's session",
        "POST",
        lambda s: Call(f"/show/sessions/{s.other_session}/cancel", {"reason": "Snow"}),
        404,
        "404 session not found",
    ),
    Foreign(
        "reinstate another show's session",
        "POST",
        lambda s: Call(f"/show/sessions/{s.other_session}/reinstate"),
        404,
        "404 session not found",
    ),
    Foreign(
        "schedule a series with another show's tag",
        "POST",
        lambda s: Call(
            "/show/sessions/schedule/series",
            {
                "from": "2026-12-14",
                "to": "2026-12-14",
                "slots": [{"weekday": 1, "time": "19:30"}],
                "tag_ids": [s.other_tag],
            },
        ),
        400,
        "One or more tag IDs are invalid",
    ),
    Foreign(
        "edit another show's session",
        "PATCH",
        lambda s: Call(f"/show/sessions/{s.other_session}", {"tag_ids": []}),
        404,
        "404 session not found",
    ),
    Foreign(
        "delete another show's session",
        "DELETE",
        lambda s: Call(f"/show/sessions/{s.other_session}"),
        404,
        "404 session not found",
    ),
    Foreign(
        "read another show's session log",
        "GET",
        lambda s: Call(f"/show/sessions/{s.other_session}/log"),
        404,
        "404 session not found",
    ),
    Foreign(
        "read another show's session casting",
        "GET",
        lambda s: Call(f"/show/sessions/{s.other_session}/casting"),
        404,
        "404 session not found",
    ),
    Foreign(
        "cast another show's session",
        "PATCH",
        lambda s: Call(f"/show/sessions/{s.other_session}/casting", {"casting": {"1": None}}),
        404,
        "404 session not found",
    ),
    Foreign(
        "read another show's cast changes",
        "GET",
        lambda s: Call(f"/show/sessions/{s.other_session}/casting/changes"),
        404,
        "404 session not found",
    ),
    Foreign(
        "print another show's cast sheet",
        "GET",
        lambda s: Call(f"/show/sessions/{s.other_session}/cast-sheet"),
        404,
        "404 session not found",
    ),
    Foreign(
        "start another show's session",
        "POST",
        lambda s: Call(
            "/show/sessions/start", {"session_id": s.client_id, "show_session_id": s.other_session}
        ),
        404,
        "404 session not found",
    ),
    # As DigiScript: assign-tags names the session's show rather than hiding it.
    Foreign(
        "assign tags to another show's session",
        "PATCH",
        lambda s: Call(
            "/show/sessions/assign-tags", {"session_id": s.other_session, "tag_ids": []}
        ),
        403,
        "Session does not belong to current show",
    ),
    Foreign(
        "assign another show's tag",
        "PATCH",
        lambda s: Call(
            "/show/sessions/assign-tags", {"session_id": s.session, "tag_ids": [s.other_tag]}
        ),
        400,
        "One or more tag IDs are invalid",
    ),
    Foreign(
        "edit another show's tag",
        "PATCH",
        lambda s: Call("/show/session/tags", {"id": s.other_tag, "tag": "Mine", "colour": "#000"}),
        404,
        "404 tag not found",
    ),
    Foreign(
        "delete another show's tag",
        "DELETE",
        lambda s: Call(f"/show/session/tags?id={s.other_tag}"),
        404,
        "404 tag not found",
    ),
    Foreign(
        "schedule with another show's tag",
        "POST",
        lambda s: Call(
            "/show/sessions/schedule",
            {"scheduled_date_time": "2026-12-07T19:30:00", "tag_ids": [s.other_tag]},
        ),
        400,
        "One or more tag IDs are invalid",
    ),
    Foreign(
        "schedule on another show's revision",
        "POST",
        lambda s: Call(
            "/show/sessions/schedule",
            {"scheduled_date_time": "2026-12-07T19:30:00", "script_revision_id": s.other_revision},
        ),
        400,
        "Script revision not found for this show",
    ),
    Foreign(
        "give a session another show's tag",
        "PATCH",
        lambda s: Call(f"/show/sessions/{s.session}", {"tag_ids": [s.other_tag]}),
        400,
        "One or more tag IDs are invalid",
    ),
    Foreign(
        "move a session to another show's revision",
        "PATCH",
        lambda s: Call(f"/show/sessions/{s.session}", {"script_revision_id": s.other_revision}),
        400,
        "Script revision not found for this show",
    ),
    Foreign(
        "branch a revision from another show's",
        "POST",
        lambda s: Call(
            "/show/script/revisions",
            {"description": "Borrowed", "parent_revision_id": s.other_revision},
        ),
        404,
        "404 parent revision not found",
    ),
    Foreign(
        "make another show's revision current",
        "POST",
        lambda s: Call("/show/script/revisions/current", {"new_rev_id": s.other_revision}),
        404,
        "404 script revision not found",
    ),
]


async def foreign_problems(scene: Scene, token: str) -> list[str]:
    problems: list[str] = []
    for case in FOREIGN:
        request = case.request(scene)
        before = snapshot(scene.database)
        r = await scene.admin.request(case.method, request.path, request.body, token=token)
        if (r.code, r.message) != (case.status, case.message):
            problems.append(f"{case.name}: wanted {case.status} {case.message!r}, got {r!r}")
        elif snapshot(scene.database) != before:
            problems.append(f"{case.name}: the database changed")
    return problems


@pytest.mark.gen_test(timeout=60)
async def test_objects_of_another_show_are_not_found_by_an_admin(scene):
    assert scene.admin.token is not None
    assert await foreign_problems(scene, scene.admin.token) == []


@pytest.mark.gen_test(timeout=60)
async def test_objects_of_another_show_are_not_found_by_a_user_with_every_role_on_both_shows(
    scene,
):
    admin = scene.admin
    await admin.create_user("crew")
    token = await admin.login("crew")
    crew = await admin.user_id(token)
    everything = int(Role.READ | Role.WRITE | Role.EXECUTE)
    await admin.grant(crew, scene.show, everything)
    await admin.grant(crew, scene.other_show, everything)
    assert await foreign_problems(scene, token) == []


@pytest.mark.gen_test
async def test_a_deleted_users_token_never_speaks_for_the_next_user_created(admin, database):
    await admin.create_user("leaving")
    token = await admin.login("leaving")
    with database.write() as db:
        db.execute(delete(User).where(User.username == "leaving"))
    await admin.create_user("arriving")
    r = await admin.get("/auth/users")
    assert "arriving" in [u["username"] for u in r.json["users"]]
    mine = await admin.get("/rbac/user/roles", token=token)
    assert mine.code == 401
    assert (await admin.get("/auth", token=token)).json == {}
