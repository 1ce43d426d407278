"""Users and tokens: /auth/create (and /api/v2/users), login, logout, refresh-token, /auth."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest
from sqlalchemy import select, update
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from server.app import make_app
from server.db import Database
from server.models import User
from server.operations import settings
from tests.conftest import Api, client_row

CREATE_PATHS = ["/auth/create", "/api/v2/users"]


def user_row(database: Database, username: str) -> User | None:
    with database.read() as db:
        return db.scalar(select(User).where(User.username == username))


# -- creating users --------------------------------------------------------------------------


@pytest.mark.parametrize("path", CREATE_PATHS)
@pytest.mark.gen_test
async def test_first_user_is_created_without_logging_in(api, database, path):
    r = await api.post(path, {"username": "admin", "password": "password1", "is_admin": True})
    assert r.code == 200
    assert r.json == {"message": "Successfully created user"}
    row = user_row(database, "admin")
    assert row is not None and row.is_admin
    assert (await api.get("/settings")).json["has_admin_user"] is True


@pytest.mark.gen_test
async def test_password_is_stored_as_a_bcrypt_hash(api, database):
    await api.create_user("admin", "password1", is_admin=True)
    row = user_row(database, "admin")
    assert row is not None
    assert row.password != "password1"
    assert row.password.startswith("$2")


@pytest.mark.parametrize("path", CREATE_PATHS)
@pytest.mark.gen_test
async def test_first_user_must_be_an_admin(api, database, path):
    r = await api.post(path, {"username": "alice", "password": "password1"})
    assert r.code == 400
    assert r.json == {"message": "First user must be an admin"}
    assert user_row(database, "alice") is None
    assert (await api.get("/settings")).json["has_admin_user"] is False


@pytest.mark.parametrize("path", CREATE_PATHS)
@pytest.mark.gen_test
async def test_admin_creates_further_users(admin, database, path):
    r = await admin.post(path, {"username": "alice", "password": "password1"})
    assert r.code == 200
    assert r.json == {"message": "Successfully created user"}
    row = user_row(database, "alice")
    assert row is not None and not row.is_admin


@pytest.mark.parametrize("path", CREATE_PATHS)
@pytest.mark.gen_test
async def test_creating_a_second_user_needs_a_login(admin, database, path):
    r = await admin.post(path, {"username": "alice", "password": "password1"}, token="")
    assert r.code == 401
    assert r.message
    assert user_row(database, "alice") is None


@pytest.mark.parametrize("path", CREATE_PATHS)
@pytest.mark.gen_test
async def test_creating_a_second_user_needs_an_admin(admin, database, path):
    token = await admin.user_token("alice")
    r = await admin.post(path, {"username": "bob", "password": "password1"}, token=token)
    assert r.code == 403
    assert r.message
    assert user_row(database, "bob") is None


@pytest.mark.parametrize(
    "body, message",
    [
        ({"password": "password1"}, "Username missing"),
        ({"username": "", "password": "password1"}, "Username missing"),
        ({"username": None, "password": "password1"}, "Username missing"),
        ({"username": "alice"}, "Password missing"),
        ({"username": "alice", "password": None}, "Password missing"),
        ({"username": "alice", "password": "12345"}, "Password must be at least 6 characters long"),
        ({"username": "alice", "password": "x" * 73}, "Password must be 72 characters or fewer"),
        ({"username": "admin", "password": "password1"}, "Username already taken"),
    ],
)
@pytest.mark.gen_test
async def test_create_user_rejects_bad_input(admin, database, body, message):
    r = await admin.post("/auth/create", body)
    assert r.code == 400
    assert r.json == {"message": message}
    with database.read() as db:
        assert db.scalars(select(User.username)).all() == ["admin"]


@pytest.mark.gen_test
async def test_first_user_input_is_checked_before_anything_is_stored(api, database):
    r = await api.post("/auth/create", {"username": "admin", "is_admin": True})
    assert r.code == 400
    assert r.json == {"message": "Password missing"}
    assert user_row(database, "admin") is None


@pytest.mark.parametrize("password", ["123456", "x" * 72])
@pytest.mark.gen_test
async def test_password_length_limits_are_inclusive(admin, password):
    r = await admin.post("/auth/create", {"username": "alice", "password": password})
    assert r.code == 200
    assert (
        await admin.post("/auth/login", {"username": "alice", "password": password})
    ).code == 200


# -- logging in --------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_login_answers_a_bearer_token(admin, database, clock):
    r = await admin.post("/auth/login", {"username": "admin", "password": "password1"})
    assert r.code == 200
    assert r.json["message"] == "Successful log in"
    assert r.json["token_type"] == "bearer"
    token = r.json["access_token"]
    with database.read() as db:
        secret = settings.get_value(db, settings.JWT_SECRET)
    claims = jwt.decode(token, secret, algorithms=["HS256"], options={"verify_exp": False})
    # fam: the login's token family, which refreshed tokens keep and logout revokes.
    assert set(claims) == {"user_id", "token_version", "iat", "exp", "jti", "fam"}
    assert claims["user_id"] == await admin.user_id(token)
    assert claims["iat"] == int(clock().timestamp())
    assert claims["exp"] - claims["iat"] == 24 * 3600
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


@pytest.mark.gen_test
async def test_login_records_the_time_of_the_login(admin, clock):
    clock.advance(dt.timedelta(minutes=5))
    token = await admin.login("admin")
    me = (await admin.get("/auth", token=token)).json
    assert me["last_login"] == "2026-11-23T12:05:00"


@pytest.mark.parametrize(
    "body, message",
    [
        ({"password": "password1"}, "Username missing"),
        ({"username": "admin"}, "Password missing"),
        ({"username": "", "password": "password1"}, "Username missing"),
    ],
)
@pytest.mark.gen_test
async def test_login_rejects_missing_fields(admin, body, message):
    r = await admin.post("/auth/login", body)
    assert r.code == 400
    assert r.json == {"message": message}


@pytest.mark.parametrize(
    "username, password", [("admin", "wrong-password"), ("nobody", "password1")]
)
@pytest.mark.gen_test
async def test_login_with_wrong_credentials_is_a_401(admin, username, password):
    r = await admin.post("/auth/login", {"username": username, "password": password})
    assert r.code == 401
    assert r.json == {"message": "Invalid username/password"}


@pytest.mark.gen_test
async def test_login_with_session_id_links_the_websocket_client(admin, database, ws_connect):
    client = await ws_connect()
    r = await admin.post(
        "/auth/login",
        {"username": "admin", "password": "password1", "session_id": client.internal_id},
    )
    assert r.code == 200
    row = client_row(database, client.internal_id)
    assert row is not None
    assert row.user_id == await admin.user_id(r.json["access_token"])


@pytest.mark.gen_test
async def test_login_with_an_unknown_session_id_still_logs_in(admin):
    r = await admin.post(
        "/auth/login", {"username": "admin", "password": "password1", "session_id": "nope"}
    )
    assert r.code == 200
    assert r.json["access_token"]


# -- logging out -------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_logout_answers_a_message(admin):
    r = await admin.post("/auth/logout", {})
    assert r.code == 200
    assert r.json == {"message": "Successfully logged out"}


@pytest.mark.gen_test
async def test_token_stops_working_after_logout(admin):
    token = await admin.login("admin")
    assert (await admin.post("/auth/logout", {}, token=token)).code == 200
    r = await admin.post("/auth/refresh-token", token=token)
    assert r.code == 401
    assert r.message
    assert (await admin.get("/auth", token=token)).json == {}


@pytest.mark.gen_test
async def test_token_stays_refused_after_a_restart(admin, database_url, clock, http_client):
    token = await admin.login("admin")
    assert (await admin.post("/auth/logout", {}, token=token)).code == 200

    restarted = Database(database_url)
    server = HTTPServer(make_app(restarted, clock))
    sock, port = bind_unused_port()
    server.add_sockets([sock])
    try:
        fresh = Api(http_client, f"http://127.0.0.1:{port}")
        r = await fresh.post("/auth/refresh-token", token=token)
        assert r.code == 401
        other = await fresh.login("admin")
        assert (await fresh.post("/auth/refresh-token", token=other)).code == 200
    finally:
        server.stop()
        await server.close_all_connections()
        restarted.dispose()


@pytest.mark.gen_test
async def test_logout_with_session_id_unlinks_the_websocket_client(admin, database, ws_connect):
    client = await ws_connect()
    r = await admin.post(
        "/auth/login",
        {"username": "admin", "password": "password1", "session_id": client.internal_id},
    )
    token = r.json["access_token"]
    r = await admin.post("/auth/logout", {"session_id": client.internal_id}, token=token)
    assert r.code == 200
    row = client_row(database, client.internal_id)
    assert row is not None and row.user_id is None


@pytest.mark.gen_test
async def test_logout_needs_a_login(admin):
    r = await admin.post("/auth/logout", {}, token="")
    assert r.code == 401
    assert r.message


# -- refreshing and reading the current user ------------------------------------------------


@pytest.mark.gen_test
async def test_refresh_token_answers_a_new_working_token(admin, clock):
    clock.advance(dt.timedelta(hours=23))
    r = await admin.post("/auth/refresh-token")
    assert r.code == 200
    assert set(r.json) == {"access_token", "token_type"}
    assert r.json["token_type"] == "bearer"
    fresh = r.json["access_token"]
    assert fresh != admin.token
    clock.advance(dt.timedelta(hours=2))
    assert (await admin.post("/auth/refresh-token", token=admin.token)).code == 401
    assert (await admin.post("/auth/refresh-token", token=fresh)).code == 200


@pytest.mark.gen_test
async def test_refresh_token_needs_a_login(admin):
    r = await admin.post("/auth/refresh-token", token="")
    assert r.code == 401
    assert r.message


@pytest.mark.gen_test
async def test_current_user_is_empty_when_not_logged_in(admin):
    r = await admin.get("/auth", token="")
    assert r.code == 200
    assert r.json == {}


@pytest.mark.gen_test
async def test_current_user_describes_the_caller(admin):
    r = await admin.get("/auth")
    assert r.code == 200
    me = r.json
    assert {"id", "username", "is_admin", "created_on", "last_login"} <= set(me)
    assert me["username"] == "admin"
    assert me["is_admin"] is True
    assert me["created_on"] == "2026-11-23T12:00:00"
    assert "password" not in me


@pytest.mark.gen_test
async def test_users_list_never_contains_a_password_hash(admin, database):
    await admin.create_user("alice")
    r = await admin.get("/auth/users")
    assert r.code == 200
    assert [u["username"] for u in r.json["users"]] == ["admin", "alice"]
    assert all("password" not in u for u in r.json["users"])
    hashes = [user_row(database, name).password for name in ("admin", "alice")]  # type: ignore[union-attr]
    assert not any(h.encode() in r.body for h in hashes)
    assert b"$2" not in r.body


@pytest.mark.gen_test
async def test_users_list_needs_an_admin(admin):
    token = await admin.user_token("alice")
    r = await admin.get("/auth/users", token=token)
    assert r.code == 403
    assert r.message
    r = await admin.get("/auth/users", token="")
    assert r.code == 401


# -- tokens that are no longer good ----------------------------------------------------------


async def _broken_token(admin: Api, kind: str) -> str:
    if kind == "malformed":
        return "not-a-token"
    claims = jwt.decode(await admin.login("admin"), options={"verify_signature": False})
    return jwt.encode(claims, "a different secret, long enough for HS256", algorithm="HS256")


@pytest.mark.parametrize("kind", ["malformed", "bad signature"])
@pytest.mark.gen_test
async def test_a_broken_token_is_a_401_even_where_no_login_is_needed(admin, show, kind):
    r = await admin.get("/show/sessions", token=await _broken_token(admin, kind))
    assert r.code == 401
    assert r.message


@pytest.mark.gen_test
async def test_an_expired_token_is_a_401(admin, clock):
    token = await admin.login("admin")
    clock.advance(dt.timedelta(hours=25))
    r = await admin.post("/auth/refresh-token", token=token)
    assert r.code == 401
    assert r.message


@pytest.mark.gen_test
async def test_a_token_that_has_worked_still_expires(admin, clock):
    # The outcome of a token's signature check is kept between requests; its times are not.
    token = await admin.login("admin")
    assert (await admin.get("/auth", token=token)).json["username"] == "admin"
    clock.advance(dt.timedelta(hours=23, minutes=59))
    assert (await admin.post("/auth/refresh-token", token=token)).code == 200
    clock.advance(dt.timedelta(minutes=2))
    r = await admin.post("/auth/refresh-token", token=token)
    assert r.code == 401
    assert r.message == "Token expired"


@pytest.mark.gen_test
async def test_token_times_follow_the_server_clock_not_the_wall_clock(admin, clock):
    clock.set(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    token = await admin.login("admin")
    assert (await admin.post("/auth/refresh-token", token=token)).code == 200


@pytest.mark.gen_test
async def test_a_token_of_an_older_token_version_is_a_401(admin, database):
    token = await admin.login("admin")
    assert (await admin.get("/auth", token=token)).json["username"] == "admin"
    with database.write() as db:
        db.execute(update(User).values(token_version=User.token_version + 1))
    r = await admin.post("/auth/refresh-token", token=token)
    assert r.code == 401
    assert r.message


@pytest.mark.gen_test
async def test_tokens_follow_the_stored_secret_when_the_database_is_swapped(admin, database):
    # The secret is read once, but a database put in place under the running server (restored
    # from another copy, say) brings its own: its tokens work, the old secret's stop working.
    old_token = await admin.login("admin")
    assert (await admin.get("/auth", token=old_token)).code == 200
    with database.write() as db:
        settings.set_value(db, settings.JWT_SECRET, "another secret, long enough for HS256")
    claims = jwt.decode(old_token, options={"verify_signature": False})
    claims["jti"] = "a token of the other copy"
    new_token = jwt.encode(claims, "another secret, long enough for HS256", algorithm="HS256")
    assert (await admin.get("/auth", token=new_token)).json["username"] == "admin"
    r = await admin.post("/auth/refresh-token", token=old_token)
    assert r.code == 401
    assert (await admin.post("/auth/refresh-token", token=new_token)).code == 200


@pytest.mark.gen_test
async def test_an_authorization_header_that_is_not_bearer_is_a_401(admin):
    r = await admin.post("/auth/refresh-token", token="", headers={"Authorization": "Basic abc"})
    assert r.code == 401
    assert r.message
