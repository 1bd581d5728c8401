"""The workspace's settings: one typed object, built by `itbtwin serve` (never from patient data).

Session timeouts follow OWASP's session management guidance (idle 15-30 min for sensitive
applications; an absolute limit of a working day) [assumption: configurable defaults].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from itbtwin.clinic import WEEKDAYS_OPEN
from itbtwin.store._accounts import MFA_ROLES


def utc_now() -> datetime:
    """Now in UTC without tzinfo (how session and audit times are stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def clinic_now() -> datetime:
    """The clinic's wall-clock time now, to the minute (how record times are stored)."""
    return datetime.now().replace(second=0, microsecond=0)


@dataclass(frozen=True)
class WebSettings:
    """How the workspace runs.

    `idle_timeout`, `absolute_timeout`: a session ends after this long unused, or this long after
    sign-in. `secure_cookies`: served over HTTPS (any host that is not the loopback, behind its TLS
    proxy), so HSTS is sent; the session cookie is `Secure` everywhere. `mfa_roles`: roles that must
    enrol an authenticator app (all, by default: OWASP ASVS 5.0 6.3.2). `holidays`, `open_weekdays`:
    the clinic's closed days for the refill calendar (0 = Monday). `history_days`, `ahead_days`: the
    patient page's twin runs from the fill before `history_days` ago to `ahead_days` ahead (30 and
    14: the last refill cycle and the next visit, at about half the cost of 60 days). `clock`,
    `clinic_clock`: UTC and clinic time (tests move them). `plot_workers`: worker processes that run
    the patient page's twin, so that it never holds the server's interpreter while other pages wait
    (0: in the server; `itbtwin serve` uses 2).
    """

    idle_timeout: timedelta = timedelta(minutes=30)
    absolute_timeout: timedelta = timedelta(hours=12)
    secure_cookies: bool = False
    holidays: tuple[date, ...] = ()
    open_weekdays: tuple[int, ...] = WEEKDAYS_OPEN
    history_days: int = 30
    ahead_days: int = 14
    clinic_name: str = "ITB clinic"
    mfa_roles: tuple[str, ...] = MFA_ROLES
    plot_workers: int = 0
    clock: Callable[[], datetime] = field(default=utc_now)
    clinic_clock: Callable[[], datetime] = field(default=clinic_now)
