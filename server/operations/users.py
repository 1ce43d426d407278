"""Creating users, logging in and out."""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from typing import Any

from sqlalchemy import bindparam, delete, exists, select
from sqlalchemy.orm import Session

from server import auth
from server.auth import Actor, SignedIn
from server.broadcast import SIGNED_OUT_ACTION
from server.changes import Change, Notice, announce, lock_shows, record
from server.db import Database, Publish
from server.errors import Invalid, NotFound, Unauthorized
from server.models import RevokedToken, ShowSession, User, WebClient
from server.models.setting import BY_KEY, JWT_LIFETIME_CHOICES, JWT_LIFETIME_HOURS, Setting
from server.operations.settings import announce_settings, jwt_secret, signing_secret
from server.throttle import LoginThrottle, TooManyAttempts

log = logging.getLogger(__name__)

MIN_PASSWORD = 6
MAX_PASSWORD = 72  # bcrypt ignores everything past 72 bytes


def any_users(db: Session) -> bool:
    return bool(db.scalar(select(exists().where(User.id.is_not(None)))))


USERS_CHANGED = Notice("NOOP", "GET_USERS")


def signed_out(user_id: int) -> Notice:
    """Told to a user's WebSocket connections when every token of theirs has stopped working
    (their password reset, or they were deleted): the client logs out, and the connections
    are no longer signed in (see `server.broadcast`)."""
    return Notice("NOOP", SIGNED_OUT_ACTION, to_user=user_id)


def token_refreshed(user_id: int, token: str) -> Notice:
    """Told to a user's WebSocket connections when they changed their password: the new token
    replaces the ones that stopped working, so their other clients carry on signed in."""
    return Notice(
        "NOOP", "TOKEN_REFRESH", {"access_token": token, "token_type": "bearer"}, to_user=user_id
    )


def check_password_strength(password: str) -> None:
    """Invalid unless the password can be a user's."""
    if len(password) < MIN_PASSWORD:
        raise Invalid("Password must be at least 6 characters long")
    if len(password.encode()) > MAX_PASSWORD:
        raise Invalid("Password must be 72 characters or fewer")


def check_new_user(db: Session, username: str, password: str, is_admin: bool) -> None:
    """Invalid unless `create_user` would add this user (as the database stands now)."""
    if not is_admin and not any_users(db):
        raise Invalid("First user must be an admin")
    check_password_strength(password)
    if db.scalar(select(User.id).where(User.username == username)) is not None:
        raise Invalid("Username already taken")


def create_user(
    db: Session,
    username: str,
    password: str,
    is_admin: bool,
    now: dt.datetime,
    hashed: str | None = None,
) -> User:
    """Add a user; the first must be an admin (who may add users is the endpoint's business:
    anyone while there are none, an admin afterwards). `hashed` is the password's hash when
    the caller has made it already (off the event loop: see `auth.hash_password_off_loop`)."""
    check_new_user(db, username, password, is_admin)
    user = User(
        username=username,
        password=hashed if hashed is not None else auth.hash_password(password),
        is_admin=is_admin,
        created_on=now,
    )
    db.add(user)
    db.flush()
    # has_admin_user may have changed.
    announce_settings(db)
    announce(db, USERS_CHANGED)
    return user


async def log_in(
    database: Database,
    throttle: LoginThrottle,
    username: str,
    password: str,
    address: str,
    client_id: str | None,
    now: dt.datetime,
) -> str:
    """A new token (of a new family) for the user whose password this is. Throttled first
    (`TooManyAttempts`, without looking at the password); no transaction is open while the
    password is checked, on the password threads, so a login holds neither the event loop nor
    the database for the few hundred milliseconds bcrypt takes."""
    try:
        attempt = throttle.begin(username, address, now)
    except TooManyAttempts:
        log.warning("login as %r from %s refused: too many failed attempts", username, address)
        raise
    with database.read() as db:
        found = db.execute(select(User.id, User.password).where(User.username == username)).first()
    hashed = None if found is None else found.password
    # An unknown username is checked against a stand-in hash, which costs the same.
    right = await auth.check_password_off_loop(password, hashed)
    if found is None or not right:
        raise Unauthorized("Invalid username/password")
    with database.write() as db:
        user = db.get(User, found.id)
        # Deleted, or given another password, while the password was being checked.
        if user is None or user.password != hashed:
            raise Unauthorized("Invalid username/password")
        user.last_login = now
        user.last_seen = now
        if client_id:
            client = db.get(WebClient, client_id)
            if client is not None:
                client.user_id = user.id
        db.flush()
        token = auth.issue_token(user, jwt_secret(db), now)
    throttle.succeeded(attempt, now)
    return token


# A token's user, whether the token, or its family, has been revoked, and the token lifetime
# the settings give now (a token older than that is refused), in one statement.
_TOKEN_USER = select(
    User.id,
    User.username,
    User.is_admin,
    User.token_version,
    User.requires_password_change,
    select(RevokedToken.jti)
    .where(RevokedToken.jti.in_([bindparam("jti"), bindparam("family")]))
    .exists(),
    select(Setting.value).where(Setting.key == JWT_LIFETIME_HOURS).scalar_subquery(),
).where(User.id == bindparam("user_id"))

# The user an API token belongs to: one lookup by the token's digest (a unique index).
_API_KEY_USER = select(User.id, User.username, User.is_admin, User.requires_password_change).where(
    User.api_token_hash == bindparam("digest")
)


def authenticate(
    database: Database, token: str, now: dt.datetime
) -> tuple[SignedIn, dict[str, Any]]:
    """The user a bearer token speaks for, and its claims; Unauthorized for any token that is
    no longer good. Every authenticated request asks, so this is one statement read directly
    (see `Database.first`), with the signing secret and the signature checks kept in memory."""
    secret = signing_secret(database)
    if secret is None:
        raise Unauthorized("Invalid token")
    try:
        claims = auth.decode_token(token, secret, now)
    except auth.BadSignature:
        # The secret never changes, but the database under a running server can be swapped
        # for another (restored from a copy, say): a token signed since then is checked
        # against the secret stored now.
        stored = signing_secret(database, reread=True)
        if stored is None or stored == secret:
            raise
        claims = auth.decode_token(token, stored, now)
    row = database.first(
        _TOKEN_USER,
        {"jti": claims["jti"], "family": auth.token_family(claims), "user_id": claims["user_id"]},
    )
    if row is None:
        raise Unauthorized("Invalid token")
    user_id, username, is_admin, token_version, must_change, revoked, lifetime = row
    if token_version != claims["token_version"]:
        raise Unauthorized("Invalid token")
    if revoked:
        raise Unauthorized("Token has been revoked")
    # A lifetime shortened since the token was issued ends it once it is older than that.
    if now.timestamp() - claims["iat"] >= _lifetime_seconds(lifetime):
        raise Unauthorized("Token expired")
    user = SignedIn(
        id=user_id,
        username=username,
        is_admin=bool(is_admin),
        must_change_password=bool(must_change),
    )
    return user, claims


def _lifetime_seconds(stored: str | None) -> float:
    """The token lifetime the settings row holds (JSON text), in seconds; the default when
    there is none or it is not one of the choices."""
    try:
        hours = json.loads(stored) if stored is not None else None
    except ValueError:
        hours = None
    if isinstance(hours, bool) or hours not in JWT_LIFETIME_CHOICES:
        hours = BY_KEY[JWT_LIFETIME_HOURS].default
    return float(hours) * 3600


def authenticate_api_key(database: Database, key: str) -> SignedIn:
    """The user whose personal API token this is (one indexed lookup of its digest, so a key
    revoked or a user deleted a moment ago is refused by every process at once);
    Unauthorized "Invalid API key" otherwise."""
    row = database.first(_API_KEY_USER, {"digest": auth.api_token_digest(key)})
    if row is None:
        raise Unauthorized("Invalid API key")
    user_id, username, is_admin, must_change = row
    return SignedIn(
        id=user_id,
        username=username,
        is_admin=bool(is_admin),
        must_change_password=bool(must_change),
        by_api_key=True,
    )


def _own_user(db: Session, actor: Actor) -> User:
    user = db.get(User, actor.id)
    if user is None:  # deleted since the request was authenticated
        raise NotFound("User not found")
    return user


def has_api_token(db: Session, actor: Actor) -> bool:
    return _own_user(db, actor).api_token_hash is not None


def generate_api_token(db: Session, actor: Actor) -> str:
    """A new personal API token for the user, answered once: only its digest is kept, and the
    token it replaces stops working."""
    user = _own_user(db, actor)
    token = auth.new_api_token()
    user.api_token_hash = auth.api_token_digest(token)
    db.flush()
    return token


def revoke_api_token(db: Session, actor: Actor) -> None:
    user = _own_user(db, actor)
    if user.api_token_hash is None:
        raise Invalid("No API token to revoke")
    user.api_token_hash = None
    db.flush()


def log_out(
    db: Session, user: Actor, claims: dict[str, Any], client_id: str | None, now: dt.datetime
) -> None:
    """Revoke this token and every token of its login's family: those refreshed from it and
    those it was refreshed from (kept in the database, so they stay revoked after a restart).
    A token issued before tokens had families is its own family, named by its jti. Signed in
    with an API key (no `claims`), nothing is revoked: the key stays good until revoked itself."""
    if claims:
        _revoke_family(db, claims, now)
    if client_id:
        client = db.get(WebClient, client_id)
        if client is not None and client.user_id == user.id:
            client.user_id = None
    db.flush()


def _revoke_family(db: Session, claims: dict[str, Any], now: dt.datetime) -> None:
    db.execute(delete(RevokedToken).where(RevokedToken.expires_at <= now))
    # The family's newest token was issued by now (a revoked token refreshes no more), and by
    # a clock at most a minute ahead of this one (see `auth.decode_token`).
    expires = max(
        dt.datetime.fromtimestamp(claims["exp"], dt.UTC),
        now + auth.LONGEST_TOKEN_LIFETIME + dt.timedelta(minutes=1),
    )
    family = auth.token_family(claims)
    if db.get(RevokedToken, family) is None:
        db.add(RevokedToken(jti=family, expires_at=expires))


def find_user(db: Session, user_id: int) -> User | None:
    return db.get(User, user_id)


def refresh_token(db: Session, actor: Actor, claims: dict[str, Any], now: dt.datetime) -> str:
    """A new token of the same family as the one presented (`claims`); of a new family when
    the request was signed in with an API key (no claims)."""
    user = find_user(db, actor.id)
    if user is None:  # deleted since its token was checked
        raise Unauthorized("Invalid token")
    user.last_seen = now
    family = auth.token_family(claims) if claims else None
    return auth.issue_token(user, jwt_secret(db), now, family=family)


def delete_user(db: Session, actor: Actor, user_id: int) -> None:
    """Delete another user; their roles and settings go with them, their sessions stay."""
    user = db.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None:
        raise NotFound("User not found")
    if user.id == actor.id:
        raise Invalid("Cannot delete currently authenticated user")
    # The sessions they ran stay, without them.
    show_ids = set(db.scalars(select(ShowSession.show_id).where(ShowSession.user_id == user.id)))
    lock_shows(db, show_ids)
    db.delete(user)
    db.flush()
    if show_ids:
        record(db, show_ids, Change.SESSIONS)
    announce(db, USERS_CHANGED)
    announce(db, signed_out(user_id))


def list_users(db: Session) -> list[User]:
    return list(db.scalars(select(User).order_by(User.id)))


def _other_user(db: Session, actor: Actor, user_id: int, yourself: str) -> User:
    user = db.get(User, user_id) if 0 < user_id <= auth.MAX_USER_ID else None
    if user is None:
        raise NotFound("User not found")
    if user.id == actor.id:
        raise Invalid(yourself)
    return user


def update_user(db: Session, actor: Actor, user_id: int, is_admin: bool) -> None:
    """Make another user an admin, or no longer one; there is always an admin left."""
    user = _other_user(db, actor, user_id, "Cannot edit your own account")
    if user.is_admin and not is_admin:
        # The admins' rows are locked (PostgreSQL) so that two admins demoting each other at
        # once cannot leave none: the second waits and then counts one admin.
        admins = db.scalars(select(User.id).where(User.is_admin.is_(True)).with_for_update())
        if len(list(admins)) <= 1:
            raise Invalid("Cannot remove admin from the only admin user")
    user.is_admin = is_admin
    db.flush()
    announce(db, USERS_CHANGED)


def temporary_password() -> str:
    """A password for an admin to pass on, good until its user changes it."""
    return secrets.token_urlsafe(12)


_OWN_RESET = "Cannot reset your own password via admin endpoint"


async def reset_password(
    database: Database, actor: Actor, user_id: int, publish: Publish | None = None
) -> str:
    """Give another user a temporary password, answered, that they must change when they next
    log in; every token they hold stops working. No transaction is open while it is hashed,
    on the password threads."""
    with database.read() as db:
        _other_user(db, actor, user_id, _OWN_RESET)
    password = temporary_password()
    hashed = await auth.hash_password_off_loop(password)
    with database.write(publish=publish) as db:
        user = _other_user(db, actor, user_id, _OWN_RESET)
        user.password = hashed
        user.requires_password_change = True
        user.token_version += 1
        db.flush()
        announce(db, USERS_CHANGED)
        announce(db, signed_out(user.id))
    return password


async def change_password(
    database: Database,
    actor: Actor,
    old_password: str,
    new_password: str,
    now: dt.datetime,
    publish: Publish | None = None,
) -> str:
    """Change the user's own password and answer a new token: every other token of theirs
    stops working. The old password is needed unless an admin reset it. No transaction is open
    while passwords are checked and hashed, on the password threads."""
    if not new_password:
        raise Invalid("New password is required")
    with database.read() as db:
        found = db.execute(
            select(User.password, User.requires_password_change).where(User.id == actor.id)
        ).first()
    if found is None:
        raise NotFound("User not found")
    if not found.requires_password_change:
        if not old_password:
            raise Invalid("Old password is required")
        if not await auth.check_password_off_loop(old_password, found.password):
            raise Unauthorized("Current password is incorrect")
    check_password_strength(new_password)
    hashed = await auth.hash_password_off_loop(new_password)
    with database.write(publish=publish) as db:
        user = db.get(User, actor.id)
        if user is None:
            raise NotFound("User not found")
        # Given another password (changed or reset) while this one was being checked.
        if user.password != found.password:
            raise Unauthorized("Current password is incorrect")
        user.password = hashed
        user.requires_password_change = False
        user.token_version += 1
        user.last_seen = now
        db.flush()
        token = auth.issue_token(user, jwt_secret(db), now)
        announce(db, USERS_CHANGED)
        announce(db, token_refreshed(user.id, token))
    return token
