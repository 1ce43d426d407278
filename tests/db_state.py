"""Every row of every table, to prove that a refused request changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.db import Base, Database


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    with database.engine.connect() as conn:
        return {
            table.name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }
