"""Role bitmasks a user holds on a show."""

from __future__ import annotations

import enum


class Role(enum.IntFlag):
    READ = 1
    WRITE = 2
    EXECUTE = 4


ALL_ROLES = Role.READ | Role.WRITE | Role.EXECUTE
