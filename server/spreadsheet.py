"""Text written into the CSV files people open in a spreadsheet."""

from __future__ import annotations


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as text: one starting with =, +, - or @ would be a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
