"""The base of every API handler: JSON in and out, errors as `{"message"}`, auth guards."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import tornado.web
from sqlalchemy.orm import Session

from server.auth import SignedIn
from server.db import Database
from server.errors import DomainError, Forbidden, Invalid, Unauthorized
from server.models import Show
from server.operations import rbac, session_list, settings, users
from server.operations.session_list import ShowStamp
from server.roles import Role

if TYPE_CHECKING:
    from server.clock import Clock
    from server.ws import Broadcaster

log = logging.getLogger(__name__)

ROUTES: list[tuple[str, type[tornado.web.RequestHandler]]] = []

H = TypeVar("H", bound=type[tornado.web.RequestHandler])


def route(pattern: str) -> Callable[[H], H]:
    """Register a handler class for a URL pattern (relative to nothing: give the full path)."""

    def register(cls: H) -> H:
        ROUTES.append((pattern, cls))
        return cls

    return register


class BaseAPIHandler(tornado.web.RequestHandler):
    """JSON API handler. Handlers raise errors; `write_error` answers them all as JSON."""

    # GET /auth must answer `{}` to a stale token rather than 401 (the client would loop).
    tolerate_bad_token = False

    def initialize(self) -> None:
        # (message, the one user whose connections it is for, or None for every connection)
        self._pending_broadcasts: list[tuple[dict[str, Any], int | None]] = []
        self._committed_broadcasts: list[tuple[dict[str, Any], int | None]] = []
        self._body_cache: Any = None
        self._token_claims: dict[str, Any] | None = None

    def prepare(self) -> None:
        # Resolve the token up front so that a bad one is a 401 on every endpoint, not only on
        # those that happen to look at the user.
        if self.request.method != "OPTIONS":
            _ = self.current_user

    # -- application services -------------------------------------------------------------

    @property
    def database(self) -> Database:
        return self.application.settings["database"]  # type: ignore[no-any-return]

    @property
    def clock(self) -> Clock:
        return self.application.settings["clock"]  # type: ignore[no-any-return]

    @property
    def broadcaster(self) -> Broadcaster:
        return self.application.settings["broadcaster"]  # type: ignore[no-any-return]

    @property
    def version(self) -> str:
        return self.application.settings["version"]  # type: ignore[no-any-return]

    def now(self) -> Any:
        return self.clock()

    # -- HTTP plumbing ----------------------------------------------------------------------

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("Access-Control-Allow-Origin", "*")
        self.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
        self.set_header(
            "Access-Control-Allow-Headers",
            "Content-Type, Authorization, X-API-Key, X-Requested-With",
        )

    def options(self, *_args: Any, **_kwargs: Any) -> None:
        self.set_status(204)
        self.finish()

    def allowed_methods(self) -> list[str]:
        own = type(self)
        return [
            m
            for m in self.SUPPORTED_METHODS
            if getattr(own, m.lower(), None) is not getattr(tornado.web.RequestHandler, m.lower())
        ]

    def write_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.finish(json.dumps(data))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if status_code == 405:
            self.set_header("Allow", ", ".join(self.allowed_methods()))
        self.clear_header("Content-Type")
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps({"message": error_message(status_code, self._reason, exc)}))

    def _handle_request_exception(self, e: BaseException) -> None:
        if isinstance(e, DomainError):
            if self._finished:
                return
            self._pending_broadcasts.clear()
            self.send_error(e.status, exc_info=(type(e), e, e.__traceback__))
            return
        super()._handle_request_exception(e)

    @property
    def json_body(self) -> Any:
        """The request body as JSON; 400 "Invalid JSON body" if it is not JSON."""
        if self._body_cache is None:
            raw = self.request.body
            try:
                self._body_cache = parse_json(raw) if raw else {}
            except ValueError as exc:
                raise Invalid("Invalid JSON body") from exc
        return self._body_cache

    @property
    def json_object(self) -> dict[str, Any]:
        body = self.json_body
        if not isinstance(body, dict):
            raise Invalid("Invalid JSON body")
        return body

    # -- transactions and broadcasts --------------------------------------------------------

    @contextmanager
    def read_tx(self) -> Iterator[Session]:
        with self.database.read() as db:
            yield db

    @contextmanager
    def write_tx(self) -> Iterator[Session]:
        """A write transaction; broadcasts queued inside go out only once it has committed, and
        after the response (the client that made the change should not wait for the others to
        hear of it)."""
        self._pending_broadcasts = []
        try:
            with self.database.write() as db:
                yield db
        except BaseException:
            self._pending_broadcasts = []
            raise
        self._committed_broadcasts += self._pending_broadcasts
        self._pending_broadcasts = []
        if self._finished:  # answered inside the block: on_finish has been and gone
            self.on_finish()

    def on_finish(self) -> None:
        committed, self._committed_broadcasts = self._committed_broadcasts, []
        for message, user_id in committed:
            if user_id is None:
                self.broadcaster.broadcast(message)
            else:
                self.broadcaster.send_to_user(user_id, message)

    def notify(
        self, op: str, action: str = "NOOP", data: Any = None, to_user: int | None = None
    ) -> None:
        """Queue a WebSocket broadcast for after the current write transaction commits (to the
        connections signed in as `to_user` only, when given).

        The envelope always carries ACTION, as DigiScript's does (START_SHOW/NOOP, ...)."""
        message = {"OP": op, "DATA": {} if data is None else data, "ACTION": action}
        self._pending_broadcasts.append((message, to_user))

    def notify_settings_changed(self, db: Session) -> None:
        self.notify(
            "SETTINGS_CHANGED", "WS_SETTINGS_CHANGED", settings.public_settings(db, self.version)
        )

    # -- who is asking ----------------------------------------------------------------------

    def bearer_token(self) -> str | None:
        header = self.request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Invalid authorization header")
        return token.strip()

    def get_current_user(self) -> SignedIn | None:
        try:
            token = self.bearer_token()
            if token is None:
                return None
            user, self._token_claims = users.authenticate(self.database, token, self.now())
            return user
        except Unauthorized:
            if self.tolerate_bad_token:
                return None
            raise

    @property
    def user(self) -> SignedIn | None:
        return self.current_user  # type: ignore[no-any-return]

    @property
    def token_claims(self) -> dict[str, Any]:
        if self._token_claims is None:
            raise Unauthorized("Not logged in")
        return self._token_claims

    def require_user(self) -> SignedIn:
        user = self.user
        if user is None:
            raise Unauthorized("Not logged in")
        return user

    def loaded_show(self, db: Session, needs: Role | None = None) -> Show:
        """The loaded show, with a role check when `needs` is given.

        Raises 400 "No show loaded" when no show is loaded, 403 when the user lacks the role.
        """
        show = settings.current_show(db)
        if show is None:
            raise Invalid("No show loaded")
        if needs is not None:
            user = self.require_user()
            if not rbac.has_role(db, user, show.id, needs):
                raise Forbidden(f"{needs.name} role required for this show")
        return show

    # -- conditional GET --------------------------------------------------------------------

    def loaded_show_stamp(self) -> ShowStamp:
        """The loaded show's id and change counter, read in one statement (400 "No show
        loaded" otherwise): enough to answer a conditional GET without reading the data."""
        stamp = session_list.loaded_show_stamp(self.database)
        if stamp is None:
            raise Invalid("No show loaded")
        return stamp

    def check_not_modified(self, etag: str) -> None:
        """Tag the response; a client whose If-None-Match names this tag gets 304 at once."""
        self.set_header("Etag", etag)
        if self.check_etag_header():
            self.set_status(304)
            raise tornado.web.Finish()


def error_message(status_code: int, reason: str, exc: BaseException | None) -> str:
    """The `message` of an error answer: a domain error's own, else what Tornado was told,
    else the status (never a server error's details)."""
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, tornado.web.HTTPError) and exc.log_message and status_code != 500:
        return exc.log_message % exc.args if exc.args else exc.log_message
    if status_code == 404:
        return "404 not found"
    if status_code == 405:
        return "405 method not allowed"
    return f"{status_code} {reason}"


def parse_json(raw: str | bytes) -> Any:
    """JSON text as Python, refusing NaN/Infinity; ValueError for anything that is not JSON
    (too deep a nesting included)."""
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


F = TypeVar("F", bound=Callable[..., Any])


def login_required(method: F) -> F:
    """401 unless a valid token came with the request."""

    @functools.wraps(method)
    def wrapper(self: BaseAPIHandler, *args: Any, **kwargs: Any) -> Any:
        self.require_user()
        return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def admin_required(method: F) -> F:
    """401 without a valid token, 403 unless its user is an admin."""

    @functools.wraps(method)
    def wrapper(self: BaseAPIHandler, *args: Any, **kwargs: Any) -> Any:
        if not self.require_user().is_admin:
            raise Forbidden("Admin access required")
        return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


@route(r"/api/.*")
class ApiNotFoundHandler(BaseAPIHandler):
    """Any /api path no other route claims."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404, "404 not found")
