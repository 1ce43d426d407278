"""Passwords and access tokens."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import bcrypt
import jwt
from sqlalchemy import select
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


def user_for_token(db: Session, token: str, secret: str, now: dt.datetime) -> User:
    """The user a bearer token speaks for; Unauthorized for any token that is no longer good."""
    claims = decode_token(token, secret, now)
    user = db.get(User, claims["user_id"])
    if user is None or user.token_version != claims["token_version"]:
        raise Unauthorized("Invalid token")
    revoked = db.scalar(select(RevokedToken.jti).where(RevokedToken.jti == claims["jti"]))
    if revoked is not None:
        raise Unauthorized("Token has been revoked")
    return user
