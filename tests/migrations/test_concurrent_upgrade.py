"""Processes started at once on an empty database take turns upgrading it: every one succeeds,
and the schema is built once, at head."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import text

from alembic import command
from server.db import make_engine
from server.migrations import alembic_config
from tests.live_server import ROOT
from tests.migrations.test_migrations import head

PROCESSES = 3


def test_three_migrations_started_at_once_all_succeed_and_upgrade_once(empty_database_url):
    env = {**os.environ, "DIGISCRIPT_BCRYPT_ROUNDS": "4"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "server", "migrate", "--database-url", empty_database_url],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(PROCESSES)
    ]
    outcomes = [(run.wait(120), *run.communicate()) for run in runs]
    assert [code for code, _, _ in outcomes] == [0] * PROCESSES, outcomes
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        engine.dispose()
    assert versions == [(head(empty_database_url),)]
    command.check(alembic_config(empty_database_url))  # the schema is the models', no drift
