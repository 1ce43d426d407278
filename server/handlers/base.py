"""The base of every API handler, and the one way to write an endpoint.

An endpoint is a handler method under an `@endpoint(...)` declaration saying who may call it,
whether it needs the loaded show, what body and query it reads and what it answers. The
declaration drives every request in one fixed order: token check -> admin check -> conditional
GET -> transaction -> loaded show and role -> body/query load -> the method -> answer. It is also
the only source of the OpenAPI document (`server.handlers.openapi`). A route whose method has no
declaration is refused when the application is built.

    @route(r"/api/v1/show/session/tags")
    class SessionTagsHandler(BaseAPIHandler):
        @endpoint("Add a session tag", access=Role.WRITE, body=CreateTagSchema,
                  answer=CreatedSchema, errors=(400, 403, 409), tag="tags")
        def post(self, call: Call) -> Answer:
            tag = tags.create_tag(call.db, call.show, **call.body)
            return {"id": tag.id, "message": "Successfully added session tag"}

Errors are raised (`server.errors`) and answered as `{"message": ...}` JSON. The notices the
operations recorded go out once the transaction has committed and the response has been sent.
"""

from __future__ import annotations

import enum
import functools
import inspect
import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import tornado.web
from marshmallow import Schema
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.orm import Session

from server import __version__
from server.auth import SignedIn
from server.changes import Notice
from server.db import Database
from server.errors import DomainError, Forbidden, Invalid, NotFound, Unauthorized
from server.jsonio import error_message, parse_json
from server.models import Show
from server.operations import rbac, session_list, settings, users
from server.operations.session_list import ShowStamp
from server.roles import Role
from server.schemas.base import InputSchema
from server.schemas.common import MessageSchema

if TYPE_CHECKING:
    from server.broadcast import Broadcaster
    from server.clock import Clock

log = logging.getLogger(__name__)

ROUTES: list[tuple[str, type[tornado.web.RequestHandler]]] = []

H = TypeVar("H", bound=type[tornado.web.RequestHandler])


PATH_ID = re.compile(r"[0-9]{1,18}")


def id_from_path(raw: str, not_found: str) -> int:
    """An object's id from a URL segment: anything but a plain integer (that fits a database
    key) names no object, a 404 with the object's own message."""
    if not PATH_ID.fullmatch(raw):
        raise NotFound(not_found)
    return int(raw)


def route(pattern: str) -> Callable[[H], H]:
    """Register a handler class for a URL pattern (the full path)."""

    def register(cls: H) -> H:
        ROUTES.append((pattern, cls))
        return cls

    return register


class Access(enum.Enum):
    """Who may call an endpoint (a `Role` instead means: signed in, with that role on the
    loaded show; admins hold every role)."""

    PUBLIC = "public"  # no token needed, and a bad one is ignored
    ANYONE = "anyone"  # no token needed, but one that is sent must be good (else 401)
    SIGNED_IN = "signed in"
    ADMIN = "admin"
    # Anyone while the server has no user yet (the first-run form), an admin afterwards; a
    # bad token is ignored while there are no users.
    FIRST_USER_OR_ADMIN = "first user or admin"


class Transaction(enum.Enum):
    READ = "read"
    WRITE = "write"
    NONE = "none"


# What a method may answer: JSON-able data, or a body already encoded (see `Prepared`).
Answer = Any


@dataclass(frozen=True)
class Prepared:
    """A response body made ahead (a kept list), sent as it is with its ETag."""

    body: bytes
    etag: str | None = None


@dataclass(frozen=True)
class Endpoint:
    """An endpoint's contract, as `@endpoint` declares it."""

    summary: str
    access: Access | Role = Access.ANYONE
    # Needs the loaded show (400 "No show loaded" otherwise); a Role implies it.
    show: bool = False
    body: type[InputSchema] | None = None
    body_required: bool = True
    query: type[InputSchema] | None = None
    answer: type[Schema] | Schema | dict[str, Any] = MessageSchema
    # The media type of a 200 answer (a file download is no JSON); several when the request
    # chooses among them (the first is the default).
    answer_type: str | tuple[str, ...] = "application/json"
    errors: tuple[int, ...] = ()
    # By default GET reads and every other method writes.
    transaction: Transaction | None = None
    # A conditional GET named by the loaded show's change counter: a request naming the
    # current tag is answered 304 before any transaction is opened.
    etag: str | None = None
    tag: str = "misc"
    path_params: tuple[str, ...] = field(default_factory=tuple)
    # What a 503 (the database unavailable) answers, when it is not {"message": ...}.
    unavailable_answer: type[Schema] | None = None
    # Answers a user who must change a password an admin reset; every other endpoint refuses
    # them 403 until they have (as DigiScript's client expects).
    while_password_change_required: bool = False

    @property
    def role(self) -> Role | None:
        return self.access if isinstance(self.access, Role) else None

    @property
    def answer_types(self) -> tuple[str, ...]:
        kind = self.answer_type
        return (kind,) if isinstance(kind, str) else kind

    @property
    def needs_show(self) -> bool:
        return self.show or self.role is not None or self.etag is not None

    @property
    def needs_user(self) -> bool:
        return self.access not in (Access.PUBLIC, Access.ANYONE, Access.FIRST_USER_OR_ADMIN)


F = TypeVar("F", bound=Callable[..., Any])

DECLARATION = "endpoint_declaration"


def endpoint(summary: str, **contract: Any) -> Callable[[F], F]:
    """Declare a handler method an endpoint: see the module's docstring and `Endpoint`."""
    declared = Endpoint(summary, **contract)

    def declare(method: F) -> F:
        @functools.wraps(method)
        async def serve(self: BaseAPIHandler, *path_args: str) -> None:
            await self.serve(declared, method, path_args)

        setattr(serve, DECLARATION, declared)
        return serve  # type: ignore[return-value]

    return declare


def declaration(handler: type[tornado.web.RequestHandler], method: str) -> Endpoint | None:
    return getattr(getattr(handler, method.lower(), None), DECLARATION, None)


def declared_methods(handler: type[tornado.web.RequestHandler]) -> dict[str, Endpoint]:
    """The methods of a handler class with their declarations (methods without one are left
    out; `undeclared_methods` names them)."""
    found = {}
    for method in handler.SUPPORTED_METHODS:
        declared = declaration(handler, method)
        if declared is not None:
            found[method] = declared
    return found


def undeclared_methods(handler: type[tornado.web.RequestHandler]) -> list[str]:
    """HTTP methods a handler serves without an `@endpoint` declaration (OPTIONS aside)."""
    base = tornado.web.RequestHandler
    return [
        method
        for method in handler.SUPPORTED_METHODS
        if method != "OPTIONS"
        and getattr(handler, method.lower(), None) is not getattr(base, method.lower())
        and declaration(handler, method) is None
    ]


@dataclass
class Call:
    """What a declared method is given: the request's transaction, loaded show, user, body
    and query, as its declaration asked for them, and the server's clock reading."""

    now: Any
    signed_in: SignedIn | None
    _db: Session | None = None
    _show: Show | None = None
    stamp: ShowStamp | None = None
    body: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)

    @property
    def db(self) -> Session:
        if self._db is None:
            raise RuntimeError("this endpoint is declared without a transaction")
        return self._db

    @property
    def show(self) -> Show:
        if self._show is None:
            raise RuntimeError("this endpoint is declared without the loaded show")
        return self._show

    @property
    def user(self) -> SignedIn:
        if self.signed_in is None:
            raise Unauthorized("Not logged in")
        return self.signed_in


class BaseAPIHandler(tornado.web.RequestHandler):
    """JSON API handler. Methods raise errors; `write_error` answers them all as JSON."""

    def initialize(self) -> None:
        # Committed notices, sent once the response has gone (see on_finish).
        self._notices: list[Notice] = []
        self._body_cache: Any = None
        self.token_claims: dict[str, Any] = {}

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

    # -- serving a declared endpoint ----------------------------------------------------------

    async def serve(
        self,
        declared: Endpoint,
        method: Callable[..., Answer | Awaitable[Answer]],
        path_args: Sequence[str],
    ) -> None:
        signed_in = self.signed_in_user(
            tolerate_bad_token=declared.access in (Access.PUBLIC, Access.FIRST_USER_OR_ADMIN)
        )
        if (
            signed_in is not None
            and signed_in.must_change_password
            and not declared.while_password_change_required
        ):
            raise Forbidden(PASSWORD_CHANGE_REQUIRED)
        if declared.needs_user and signed_in is None:
            raise Unauthorized("Not logged in")
        if declared.access is Access.ADMIN:
            self.require_admin(signed_in)
        call = Call(now=self.clock(), signed_in=signed_in)
        if declared.etag is not None:
            call.stamp = self.loaded_show_stamp()
            self.answer_304_if_unchanged(show_etag(call.stamp, declared.etag))
        transaction = declared.transaction or (
            Transaction.READ if self.request.method == "GET" else Transaction.WRITE
        )
        if transaction is Transaction.NONE:
            answer = await self._call(declared, method, call, path_args)
        elif transaction is Transaction.READ:
            with self.database.read() as db:
                answer = await self._call(declared, method, call, path_args, db)
        else:
            with self.database.write(publish=self.after_response) as db:
                answer = await self._call(declared, method, call, path_args, db)
        self.answer(answer)

    async def _call(
        self,
        declared: Endpoint,
        method: Callable[..., Answer | Awaitable[Answer]],
        call: Call,
        path_args: Sequence[str],
        db: Session | None = None,
    ) -> Answer:
        if db is not None:
            call._db = db
            if declared.access is Access.FIRST_USER_OR_ADMIN and users.any_users(db):
                self.require_admin(call.signed_in)
            if declared.needs_show:
                call._show = self.loaded_show(db, call.signed_in, declared.role)
        elif declared.access is Access.FIRST_USER_OR_ADMIN:
            # A method that opens its own transactions is still refused before its body is read.
            with self.database.read() as check:
                if users.any_users(check):
                    self.require_admin(call.signed_in)
        if declared.body is not None:
            call.body = declared.body().load_request(self.json_body)
        if declared.query is not None:
            call.query = declared.query().load_request(self.query_values())
        answer = method(self, call, *path_args)
        if inspect.isawaitable(answer):
            answer = await answer
        return answer

    def answer(self, answer: Answer) -> None:
        if isinstance(answer, Prepared):
            if answer.etag is not None:
                self.answer_304_if_unchanged(answer.etag)
            self.finish(answer.body)
            return
        self.finish(json.dumps(answer))

    def after_response(self, notices: Sequence[Notice]) -> None:
        """Send these committed notices once the response has gone: the `publish` of a write
        transaction a method opens itself."""
        self._notices.extend(notices)

    def on_finish(self) -> None:
        notices, self._notices = self._notices, []
        if notices:
            self.broadcaster.publish(notices)

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
        return ["OPTIONS", *declared_methods(type(self))]

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if status_code == 405:
            self.set_header("Allow", ", ".join(self.allowed_methods()))
        retry_after = getattr(exc, "retry_after", None)
        if isinstance(retry_after, int):
            self.set_header("Retry-After", str(retry_after))  # 429: seconds to wait
        self.clear_header("Content-Type")
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps({"message": error_message(status_code, self._reason, exc)}))

    def _handle_request_exception(self, e: BaseException) -> None:
        trouble = database_trouble(e)
        if trouble is not None:
            # Said in one line: the database's own words go to the log, not to the client.
            log.error(
                "%s %s: database unavailable (%s): %s",
                self.request.method,
                self.request.path,
                trouble,
                str(getattr(e, "orig", None) or e).splitlines()[0],
            )
            e = DatabaseUnavailable(f"Database unavailable: {trouble}")
        if isinstance(e, DomainError):
            if self._finished:
                return
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

    def query_values(self) -> dict[str, str]:
        """The query string, the last value of each name, as text (bytes that are not UTF-8
        are replaced: they are simply no value a schema accepts)."""
        return {
            name: values[-1].decode(errors="replace")
            for name, values in self.request.query_arguments.items()
        }

    # -- who is asking, and about which show ------------------------------------------------

    def bearer_token(self) -> str | None:
        header = self.request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Invalid authorization header")
        return token.strip()

    def signed_in_user(self, tolerate_bad_token: bool = False) -> SignedIn | None:
        """The user the request's token speaks for, or None without a token; a token that is
        no longer good is a 401 unless `tolerate_bad_token` (then it is as good as none, and so
        is one the database is unavailable to check: /health still answers). Without a bearer
        token, a personal API token in `X-API-Key` signs the request in as its user; a key
        that is no one's is always a 401 "Invalid API key"."""
        try:
            token = self.bearer_token()
            if token is None:
                key = self.request.headers.get("X-API-Key", "")
                if not key:
                    return None
                try:
                    return users.authenticate_api_key(self.database, key)
                except Unauthorized as exc:
                    raise BadApiKey(exc.message) from exc
            user, self.token_claims = users.authenticate(self.database, token, self.clock())
            return user
        except Unauthorized as exc:
            if tolerate_bad_token and not isinstance(exc, BadApiKey):
                return None
            raise
        except (sa_exc.DBAPIError, sa_exc.TimeoutError) as exc:
            if tolerate_bad_token and database_trouble(exc) is not None:
                return None
            raise

    def require_admin(self, user: SignedIn | None) -> None:
        if user is None:
            raise Unauthorized("Not logged in")
        if not user.is_admin:
            raise Forbidden("Admin access required")

    def loaded_show(self, db: Session, user: SignedIn | None, needs: Role | None) -> Show:
        """The loaded show (400 "No show loaded"), after a role check when `needs` is given
        (403 when the user lacks the role)."""
        show = settings.current_show(db)
        if show is None:
            raise Invalid("No show loaded")
        if needs is not None:
            if user is None:
                raise Unauthorized("Not logged in")
            if not rbac.has_role(db, user, show.id, needs):
                raise Forbidden(f"{needs.name} role required for this show")
        return show

    def loaded_show_stamp(self) -> ShowStamp:
        """The loaded show's id and change counter, read in one statement (400 "No show
        loaded" otherwise): enough to answer a conditional GET without reading the data."""
        stamp = session_list.loaded_show_stamp(self.database)
        if stamp is None:
            raise Invalid("No show loaded")
        return stamp

    def answer_304_if_unchanged(self, etag: str) -> None:
        """Tag the response; a client whose If-None-Match names this tag gets 304 at once."""
        self.set_header("Etag", etag)
        if self.check_etag_header():
            self.set_status(304)
            raise tornado.web.Finish()


class DatabaseUnavailable(DomainError):
    status = 503


class BadApiKey(Unauthorized):
    """An X-API-Key that is no one's: refused even where a stale bearer token is ignored."""


PASSWORD_CHANGE_REQUIRED = "Password change required before accessing this resource"


# What the database's errors mean for a client, by words in the driver's message (SQLite's and
# PostgreSQL's), first match wins.
_TROUBLES = (
    (("readonly", "read-only"), "it is read-only"),
    (("disk is full", "no space left", "could not extend file", "disk full"), "the disk is full"),
    (("malformed", "not a database", "corrupt"), "its file is damaged"),
    (("database is locked", "is busy"), "it is busy"),
    (("disk i/o error", "could not write", "could not read"), "a disk error"),
    (
        (
            "unable to open",
            "connection refused",
            "could not connect",
            "connection to server",
            "connection failed",
            "server closed the connection",
            "terminating connection",
            "the connection is closed",
            "timeout expired",
            "no such host",
            "could not translate host",
        ),
        "cannot connect to it",
    ),
)


def database_trouble(exc: BaseException) -> str | None:
    """Why the database could not serve a request, in words for a client, when `exc` says it
    could not (down, full, read-only, damaged, busy); None for any other error, a constraint
    or a bug included, which stays a 500."""
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free in time
        return "it is busy"
    if not isinstance(exc, sa_exc.DBAPIError) or isinstance(
        exc,
        sa_exc.IntegrityError
        | sa_exc.DataError
        | sa_exc.ProgrammingError
        | sa_exc.NotSupportedError,
    ):
        return None
    said = str(getattr(exc, "orig", None) or exc).lower()
    for words, trouble in _TROUBLES:
        if any(word in said for word in words):
            return trouble
    return "it could not complete the request"


def database_check(database: Database) -> str | None:
    """None when the database runs a `SELECT 1`, else why it cannot (see database_trouble)."""
    try:
        database.first(text("SELECT 1"))
    except (sa_exc.DBAPIError, sa_exc.TimeoutError) as exc:
        return database_trouble(exc) or "it could not complete the request"
    return None


def show_etag(stamp: ShowStamp, kind: str, epoch: str = "0") -> str:
    """The ETag of one of the loaded show's lists as of its change counter. The show's creation
    time tells apart shows of two databases that share an id and a counter; the package
    version, two releases that shape the same data differently."""
    return f'"{kind}.{stamp.show_id}.{stamp.data_version}.{epoch}.{stamp.created}.{__version__}"'


def check_declarations(routes: Sequence[tuple[str, type[tornado.web.RequestHandler]]]) -> None:
    """Refuse an API route whose handler serves a method without a declaration."""
    for pattern, handler in routes:
        if issubclass(handler, BaseAPIHandler):
            missing = undeclared_methods(handler)
            if missing:
                raise TypeError(
                    f"{handler.__name__} ({pattern}) serves {', '.join(missing)} without an "
                    "@endpoint declaration"
                )


@route(r"/api/.*")
class ApiNotFoundHandler(BaseAPIHandler):
    """Any /api path no other route claims."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404, "404 not found")
