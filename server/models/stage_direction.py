"""How a script's stage directions look: named styles a stage direction line can take."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class StageDirectionStyle(Base):
    __tablename__ = "stage_direction_styles"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Deleting a show's script deletes its styles with it.
    script_id: Mapped[int] = mapped_column(ForeignKey("script.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(255))
    bold: Mapped[bool] = mapped_column(Boolean, default=False)
    italic: Mapped[bool] = mapped_column(Boolean, default=False)
    underline: Mapped[bool] = mapped_column(Boolean, default=False)
    # "default", "upper" or "lower": how the line's letters are cased.
    text_format: Mapped[str] = mapped_column(String(16))
    text_colour: Mapped[str] = mapped_column(String(32))
    enable_background_colour: Mapped[bool] = mapped_column(Boolean, default=False)
    background_colour: Mapped[str | None] = mapped_column(String(32))
