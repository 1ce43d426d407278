"""`digiscript-server serve | migrate | create-admin`."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import signal
import sqlite3
import sys

import tornado.httpserver
import tornado.web

from server.config import Config
from server.db import DEFAULT_DATABASE_URL

log = logging.getLogger("server")


def _parser() -> argparse.ArgumentParser:
    env = os.environ
    url_default = env.get("DIGISCRIPT_DATABASE_URL", DEFAULT_DATABASE_URL)
    parser = argparse.ArgumentParser(prog="digiscript-server")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="upgrade the database and serve the API and web UI")
    serve.add_argument("--host", default=env.get("DIGISCRIPT_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(env.get("DIGISCRIPT_PORT", "8080")))
    serve.add_argument("--database-url", default=url_default)
    serve.add_argument("--debug", action="store_true", help="allow WebSockets from any origin")
    serve.add_argument(
        "--behind-proxy",
        action="store_true",
        default=env.get("DIGISCRIPT_BEHIND_PROXY", "") not in ("", "0"),
        help="trust the client address a reverse proxy passes on (X-Real-Ip, X-Forwarded-For)",
    )
    serve.add_argument(
        "--client-dir",
        default=None,
        metavar="DIR",
        help="serve the prebuilt client in DIR (index.html, assets/) instead of the built-in UI",
    )

    migrate = sub.add_parser("migrate", help="upgrade the database to the newest schema")
    migrate.add_argument("--database-url", default=url_default)

    admin = sub.add_parser("create-admin", help="create an admin user")
    admin.add_argument("--database-url", default=url_default)
    admin.add_argument("--username", required=True)
    admin.add_argument("--password", required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    args = _parser().parse_args(argv)
    from server.migrations import MigrationFailed

    try:
        return _run(args)
    except MigrationFailed as exc:
        # The log line above already says what happened; a traceback would only bury it.
        print(f"digiscript-server: {exc}", file=sys.stderr)
        return 1


def sqlite_damage(url: str) -> str | None:
    """What `PRAGMA quick_check` finds wrong with the SQLite file behind `url`, in one line;
    None when it finds nothing, and for other databases, a file not made yet, or one this
    process cannot open (the server's own error says why, then)."""
    from server.db import sqlite_file

    path = sqlite_file(url)
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return None
    except sqlite3.DatabaseError as exc:  # not a database at all, or a damaged first page
        found = [str(exc)]
    if found == ["ok"]:
        return None
    problem = " ".join(" ".join(found).split())[:300]
    return (
        f"the database file {path} is damaged ({problem}); nothing was written to it. "
        "Restore it from a backup (upgrades leave <file>.<time>.bak beside it)"
    )


def _run(args: argparse.Namespace) -> int:
    # A damaged SQLite file is refused before anything reads or writes it.
    damage = sqlite_damage(args.database_url)
    if damage is not None:
        print(f"digiscript-server: {damage}", file=sys.stderr)
        return 1
    if args.command == "serve":
        config = Config(
            host=args.host,
            port=args.port,
            database_url=args.database_url,
            debug=args.debug,
            client_dir=args.client_dir,
            behind_proxy=args.behind_proxy,
        )
        return asyncio.run(serve(config))
    if args.command == "migrate":
        from server.migrations import upgrade

        backup = upgrade(args.database_url)
        print(f"database is up to date{f' (backup: {backup})' if backup else ''}")
        return 0
    if args.command == "create-admin":
        return create_admin(args.database_url, args.username, args.password)
    return 2


def create_admin(database_url: str, username: str, password: str) -> int:
    from server.clock import system_clock
    from server.db import Database
    from server.errors import DomainError
    from server.migrations import upgrade
    from server.operations.users import create_user

    upgrade(database_url)
    database = Database(database_url)
    try:
        with database.write() as db:
            create_user(db, username, password, True, system_clock())
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        database.dispose()
    print(f"created admin user {username}")
    return 0


# The largest request body read. Every body the API takes is a few hundred bytes but for the
# log batch (64 KB, refused above that with a message of its own); the margin lets a megabyte
# of text in a field still be answered with that field's message. A longer Content-Length is
# refused before any of the body is read: Tornado answers a bare 400 and closes the connection.
MAX_BODY_BYTES = 2 * 1024 * 1024


def http_server(app: tornado.web.Application, config: Config) -> tornado.httpserver.HTTPServer:
    # Without a proxy in front, any client could name any address in those headers.
    return tornado.httpserver.HTTPServer(
        app, xheaders=config.behind_proxy, max_body_size=MAX_BODY_BYTES
    )


async def serve(config: Config) -> int:
    from server.app import make_app
    from server.db import Database
    from server.locks import AlreadyServing, hold_serve_lock
    from server.migrations import upgrade

    try:
        held = hold_serve_lock(config.database_url)  # released when serve() returns
    except AlreadyServing as exc:
        print(f"digiscript-server: {exc}", file=sys.stderr)
        return 1
    backup = upgrade(config.database_url)
    if backup is not None:
        log.info("database backed up to %s", backup)
    database = Database(config.database_url)
    try:
        app = make_app(database, debug_origins=config.debug, client_dir=config.client_dir)
    except ValueError as exc:  # a --client-dir with no client in it
        print(f"digiscript-server: {exc}", file=sys.stderr)
        database.dispose()
        return 2
    # Everything loaded so far lives as long as the process: leave it out of the collector's
    # full passes, which would otherwise walk it all and hold up every request for tens of
    # milliseconds whenever a large response is built.
    gc.freeze()
    server = http_server(app, config)
    server.listen(config.port, config.host)
    log.info("serving on http://%s:%d", config.host, config.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("shutting down")
    server.stop()
    await server.close_all_connections()
    database.dispose()
    if held is not None:
        held.release()
    return 0
