"""Time stamps of the audit logs and the ``since`` / ``until`` bounds of a window.

Stamps are UTC with microseconds in one fixed-width text form, so comparing strings compares
times on every database. A bound may be a date (``2025-06-01``) or a date-time; ``until`` given as
a date includes that whole day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from engine.errors import InvalidInput

__all__ = ["STAMP", "bound", "now_stamp", "stamp"]

STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"


def stamp(when: datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime(STAMP)


def now_stamp() -> str:
    return stamp(datetime.now(UTC))


def bound(text: str | None, *, field: str, end: bool = False) -> str | None:
    """A window bound as a stamp: ``since`` inclusive, ``until`` exclusive (a bare date: its end)."""
    if text is None or text == "":
        return None
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return stamp(start + timedelta(days=1) if end else start)
        return stamp(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        raise InvalidInput(f"{field} must be a date (YYYY-MM-DD) or an ISO date-time, got {text!r}") from None
