"""A token signed with the server's own secret but carrying claims no token of this server has
(a user id no database column holds, times no clock reaches, ids too long to store) is a 401
"Invalid token", never a server error."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from server.db import Database
from server.operations import settings

BAD_CLAIMS: list[tuple[str, Any]] = [
    ("user_id", 2**70),
    ("user_id", 2**63),
    ("user_id", 2**31),
    ("user_id", 0),
    ("user_id", -1),
    ("user_id", True),
    ("user_id", 1.0),
    ("token_version", True),
    ("token_version", "0"),
    ("exp", 1e300),
    ("exp", float("nan")),
    ("exp", float("inf")),
    ("exp", True),
    ("iat", float("-inf")),
    ("iat", -(2**70)),
    ("jti", "x" * 65),
    ("jti", ""),
    ("jti", 7),
    ("fam", "x" * 65),
    ("fam", None),
    ("fam", ["a"]),
]


def signed(database: Database, token: str, name: str, value: Any) -> str:
    """`token` with one claim replaced, signed with the server's secret."""
    with database.read() as db:
        secret = settings.get_value(db, settings.JWT_SECRET)
    claims = jwt.decode(token, options={"verify_signature": False})
    claims[name] = value
    return jwt.encode(claims, secret, algorithm="HS256")


@pytest.mark.parametrize("name, value", BAD_CLAIMS, ids=[f"{n}={v!r}"[:40] for n, v in BAD_CLAIMS])
@pytest.mark.gen_test
async def test_a_signed_token_with_an_impossible_claim_is_invalid(admin, database, name, value):
    token = signed(database, admin.token, name, value)  # type: ignore[arg-type]
    for path, body in [("/auth/refresh-token", None), ("/auth/logout", {})]:
        r = await admin.post(path, body, token=token)
        assert (r.code, r.message) == (401, "Invalid token"), (path, r)
    # Where a bad token is as good as none, it is none.
    assert (await admin.get("/auth", token=token)).json == {}
    # The admin's own token is unharmed.
    assert (await admin.post("/auth/refresh-token")).code == 200


@pytest.mark.gen_test
async def test_the_highest_user_id_a_column_holds_is_simply_no_such_user(admin, database):
    token = signed(database, admin.token, "user_id", 2**31 - 1)  # type: ignore[arg-type]
    r = await admin.post("/auth/refresh-token", token=token)
    assert (r.code, r.message) == (401, "Invalid token")
