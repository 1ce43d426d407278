"""Passwords and access tokens."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import bcrypt
import jwt
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from server.errors import Unauthorized
from server.models import RevokedToken, User

TOKEN_LIFETIME = dt.timedelta(hours=24)
ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    # The work factor can be lowered for test suites, which hash hundreds of passwords.
    rounds = int(os.environ.get("DIGISCRIPT_BCRYPT_ROUNDS", "12"))
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode(), hashed.encode())
    except ValueError:
        return False


def issue_token(user: User, secret: str, now: dt.datetime) -> str:
    payload = {
        "user_id": user.id,
        "token_version": user.token_version,
        "iat": int(now.timestamp()),
        "exp": int((now + TOKEN_LIFETIME).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def decode_token(token: str, secret: str, now: dt.datetime) -> dict[str, Any]:
    """The token's claims; Unauthorized when it is malformed, badly signed or expired."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={
                "require": ["user_id", "token_version", "exp", "iat", "jti"],
                "verify_exp": False,
                "verify_iat": False,
            },
        )
    except jwt.PyJWTError as exc:
        raise Unauthorized("Invalid token") from exc
    # Times are checked against the server's clock rather than the wall clock (which PyJWT would
    # use) so that they agree with the clock that issued the token, pinned or not.
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or exp <= now.timestamp():
        raise Unauthorized("Token expired")
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or iat > now.timestamp() + 60:
        raise Unauthorized("Invalid token")
    if not isinstance(claims.get("user_id"), int) or not isinstance(claims.get("jti"), str):
        raise Unauthorized("Invalid token")
    return claims


# A token's user and whether the token has been revoked: one statement, built once, as every
# authenticated request runs it.
_TOKEN_USER = select(
    User, select(RevokedToken.jti).where(RevokedToken.jti == bindparam("jti")).exists()
).where(User.id == bindparam("user_id"))


def user_for_claims(db: Session, claims: dict[str, Any]) -> User:
    """The user a decoded token speaks for; Unauthorized when the token is no longer good."""
    params = {"jti": claims["jti"], "user_id": claims["user_id"]}
    row = db.execute(_TOKEN_USER, params).first()
    if row is None or row[0].token_version != claims["token_version"]:
        raise Unauthorized("Invalid token")
    if row[1]:
        raise Unauthorized("Token has been revoked")
    return row[0]  # type: ignore[no-any-return]


def user_for_token(db: Session, token: str, secret: str, now: dt.datetime) -> User:
    """The user a bearer token speaks for; Unauthorized for any token that is no longer good."""
    return user_for_claims(db, decode_token(token, secret, now))
