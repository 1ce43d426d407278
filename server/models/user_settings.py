"""Per-user client preferences (auto-save, cue layout, log level, ...), one row per user, and
the user's overrides of a show's styles (how one stage direction style or cue colour looks to
that user only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime, utcnow


class UserSettings(Base):
    __tablename__ = "user_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    enable_script_auto_save: Mapped[bool] = mapped_column(default=True)
    script_auto_save_interval: Mapped[int] = mapped_column(Integer, default=10)
    cue_position_right: Mapped[bool] = mapped_column(default=False)
    # DigiScript's client sends and expects 1 (left), 2 (centre) or 3 (right).
    script_text_alignment: Mapped[int] = mapped_column(Integer, default=2)
    console_log_level: Mapped[str] = mapped_column(String(16), default="WARN")
    character_mru_sort: Mapped[bool] = mapped_column(default=False)
    character_combined_dropdown: Mapped[bool] = mapped_column(default=False)
    preferred_ui: Mapped[str | None] = mapped_column(String(16))
    table_page_sizes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    default_sd_text_colour: Mapped[str | None] = mapped_column(String(32))
    default_sd_background_colour: Mapped[str | None] = mapped_column(String(32))
    show_current_cue_footer: Mapped[bool] = mapped_column(default=True)


class UserOverride(Base):
    """One user's override of one show object's look: `settings_type` names what is overridden
    ("stage_direction_styles", "cue_types"), `settings` holds the overriding values."""

    __tablename__ = "user_overrides"
    __table_args__ = (UniqueConstraint("user_id", "settings_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    settings_type: Mapped[str] = mapped_column(String(64))
    # The id of the overridden style or cue type. Not a foreign key: it names rows of different
    # tables; the operations delete a user's overrides of an object when the object goes.
    object_id: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
