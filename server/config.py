"""Configuration from command-line flags and DIGISCRIPT_* environment variables."""

from __future__ import annotations

from dataclasses import dataclass

from server.db import DEFAULT_DATABASE_URL


@dataclass
class Config:
    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = DEFAULT_DATABASE_URL
    debug: bool = False
    client_dir: str | None = None
    # Take the client's address and scheme from X-Real-Ip / X-Forwarded-For /
    # X-Forwarded-Proto, which only a reverse proxy in front of the server can vouch for.
    behind_proxy: bool = False
