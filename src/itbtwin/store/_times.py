"""Record times: the clinic's wall-clock time, never in the future where the past is required."""

from __future__ import annotations

from datetime import datetime

from itbtwin.errors import RecordError


def require_past(at: datetime, now: datetime, what: str) -> datetime:
    """Refuse a time after `now` for something that has already happened."""
    if at > now:
        raise RecordError(
            f"{what} at {at:%Y-%m-%d %H:%M} is in the future (now {now:%Y-%m-%d %H:%M})"
        )
    return at
