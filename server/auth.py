"""Passwords and access tokens."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import math
import os
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import bcrypt
import jwt
from sqlalchemy.orm import object_session

from server.errors import Unauthorized
from server.models import User
from server.models.setting import JWT_LIFETIME_CHOICES
from server.operations import settings

TOKEN_LIFETIME = dt.timedelta(hours=24)
# The longest any token may be issued for (the settings choose among these lifetimes).
LONGEST_TOKEN_LIFETIME = dt.timedelta(hours=max(JWT_LIFETIME_CHOICES))
ALGORITHM = "HS256"
# User ids are 32-bit integers in PostgreSQL (and positive everywhere).
MAX_USER_ID = 2**31 - 1
# A token's jti and fam are stored in a 64-character column when it is revoked.
MAX_TOKEN_ID = 64
# The last second Python's datetime can hold (9999-12-31T23:59:59Z).
MAX_TIMESTAMP = 253402300799


class Actor(Protocol):
    """Whoever a change is made by, as operations see them: a request's `SignedIn` user or a
    `User` row."""

    @property
    def id(self) -> int: ...

    @property
    def username(self) -> str: ...

    @property
    def is_admin(self) -> bool: ...


class BadSignature(Unauthorized):
    """A well-formed token that the secret did not sign."""


@dataclass(frozen=True)
class SignedIn:
    """The user a request's token speaks for, as read when the token was checked."""

    id: int
    username: str
    is_admin: bool
    # An admin reset the password: until the user changes it, only the endpoints declared
    # for that (`while_password_change_required`) answer them.
    must_change_password: bool = False
    # Signed in with a personal API token (X-API-Key) rather than a bearer token.
    by_api_key: bool = False


def bcrypt_rounds() -> int:
    # The work factor can be lowered for test suites, which hash hundreds of passwords.
    return int(os.environ.get("DIGISCRIPT_BCRYPT_ROUNDS", "12"))


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(bcrypt_rounds())).decode()


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode(), hashed.encode())
    except ValueError:
        return False


# bcrypt takes a few hundred milliseconds of CPU at the default cost: it runs on these threads,
# never on the event loop, and two at a time at most, so logins can never take every core.
_PASSWORD_WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="bcrypt")


async def hash_password_off_loop(password: str) -> str:
    """`hash_password` on the password threads."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_PASSWORD_WORKERS, hash_password, password)


async def check_password_off_loop(password: str, hashed: str | None) -> bool:
    """`check_password` on the password threads. Without a hash (no such user) the password is
    checked against a hash made once at the configured cost, and refused: an unknown username
    costs what a known one does, so answer times do not tell which names exist."""
    loop = asyncio.get_running_loop()
    if hashed is None:
        dummy = await loop.run_in_executor(_PASSWORD_WORKERS, dummy_hash)
        await loop.run_in_executor(_PASSWORD_WORKERS, check_password, password, dummy)
        return False
    return await loop.run_in_executor(_PASSWORD_WORKERS, check_password, password, hashed)


@functools.lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> str:
    return bcrypt.hashpw(uuid.uuid4().hex.encode(), bcrypt.gensalt(rounds)).decode()


def dummy_hash() -> str:
    """A hash of no one's password at the configured cost, made once."""
    return _dummy_hash(bcrypt_rounds())


def new_api_token() -> str:
    """A personal API token, shown to its user once."""
    return secrets.token_urlsafe(32)


def api_token_digest(token: str) -> str:
    """What is stored of an API token (and looked up by): its SHA-256, in hex. The token is 32
    random bytes, so a fast digest is as good as a slow hash and needs no scan to compare."""
    return hashlib.sha256(token.encode(errors="surrogatepass")).hexdigest()


def new_token_family() -> str:
    return uuid.uuid4().hex


def issue_token(user: User, secret: str, now: dt.datetime, family: str | None = None) -> str:
    """A token for `user`. Each login starts a family (`fam`) that its refreshed tokens keep, so
    that logging out ends them all; a new family unless `family` is given."""
    payload = {
        "user_id": user.id,
        "token_version": user.token_version,
        "iat": int(now.timestamp()),
        "exp": int((now + token_lifetime(user)).timestamp()),
        "jti": uuid.uuid4().hex,
        "fam": family or new_token_family(),
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def token_lifetime(user: User) -> dt.timedelta:
    """How long a token issued now stays valid: as the settings say, read in the session
    `user` was loaded in (TOKEN_LIFETIME for a user in none)."""
    db = object_session(user)
    return TOKEN_LIFETIME if db is None else settings.token_lifetime(db)


def token_family(claims: dict[str, Any]) -> str:
    """The family a token belongs to; a token issued before families existed (no `fam`) is a
    family of its own, named by its jti (so a token refreshed from it joins it)."""
    family = claims.get("fam")
    return family if isinstance(family, str) else str(claims["jti"])


def decode_token(token: str, secret: str, now: dt.datetime) -> dict[str, Any]:
    """The token's claims; Unauthorized when it is malformed, badly signed or expired."""
    claims = dict(_signed_claims(token, secret))
    # Only this server's secret signs tokens, but the claims are still checked for what the
    # database and the clock can hold: a token signed with a leaked or restored secret must be
    # a 401, never a server error.
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise Unauthorized("Invalid token")
    if not _timestamp(exp) or not _timestamp(iat):
        raise Unauthorized("Invalid token")
    # Times are checked against the server's clock rather than the wall clock (which PyJWT would
    # use) so that they agree with the clock that issued the token, pinned or not.
    if exp <= now.timestamp():
        raise Unauthorized("Token expired")
    if iat > now.timestamp() + 60:
        raise Unauthorized("Invalid token")
    user_id = claims.get("user_id")
    if isinstance(user_id, bool) or not isinstance(user_id, int):
        raise Unauthorized("Invalid token")
    if not 0 < user_id <= MAX_USER_ID:
        raise Unauthorized("Invalid token")
    if isinstance(claims.get("token_version"), bool) or not isinstance(
        claims.get("token_version"), int
    ):
        raise Unauthorized("Invalid token")
    if not _token_id(claims.get("jti")):
        raise Unauthorized("Invalid token")
    if "fam" in claims and not _token_id(claims["fam"]):
        raise Unauthorized("Invalid token")
    return claims


def _timestamp(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= MAX_TIMESTAMP
    )


def _token_id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_TOKEN_ID


@functools.lru_cache(maxsize=4096)
def _signed_claims(token: str, secret: str) -> dict[str, Any]:
    """The claims of a token whose signature `secret` checks out. A client sends the same token
    with every request for hours, so the outcome is kept (a refusal is not: it raises); what
    depends on the time is checked by the caller every time."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={
                "require": ["user_id", "token_version", "exp", "iat", "jti"],
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.InvalidSignatureError as exc:
        raise BadSignature("Invalid token") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("Invalid token") from exc
    return claims
