"""Configuration from command-line flags and DIGISCRIPT_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass

from server.db import DEFAULT_DATABASE_URL


@dataclass
class Config:
    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = DEFAULT_DATABASE_URL
    debug: bool = False
    client_dir: str | None = None

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            host=os.environ.get("DIGISCRIPT_HOST", cls.host),
            port=int(os.environ.get("DIGISCRIPT_PORT", cls.port)),
            database_url=os.environ.get("DIGISCRIPT_DATABASE_URL", DEFAULT_DATABASE_URL),
        )
