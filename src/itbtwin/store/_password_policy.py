"""What a password must be: long enough, not one of the most common, not the user's name.

OWASP ASVS 5.0 level 2, 6.2: at least 8 characters (15 recommended where there is no second
factor; the workspace asks a second factor of every role, so 12 is kept), every character
allowed and taken exactly as typed, no composition rules, and a check against at least the 3,000
most common passwords (6.2.4). The list is the 30,000 most common passwords that zxcvbn ships
(`zxcvbn.frequency_lists`, MIT licence, pinned in requirements.lock: drawn from the Xato corpus
of leaked passwords, lower-cased), compared without case. It is read from the package, never
copied into the repository, and only when a password is set.
"""

from __future__ import annotations

from functools import cache

from itbtwin.errors import RecordError

MIN_PASSWORD = 12
"""Shortest password accepted (characters) [ASVS 5.0 6.2.1 asks 8 or more; configurable default]."""
MAX_PASSWORD = 1000
"""Longest password accepted (characters): ASVS 6.2.9 asks that 64 be allowed; the bound keeps
one argon2 hash of bounded work."""


@cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's 30,000 most common passwords, lower-case (read once, on the first password set)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(password: str, username: str = "") -> None:
    """Refuse a password that is too short or long, a common one, or the user's name."""
    if len(password) < MIN_PASSWORD:
        raise RecordError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise RecordError(f"a password has at most {MAX_PASSWORD:,} characters")
    if password.lower() in common_passwords():
        raise RecordError(
            "this password is one of the 30,000 most common passwords: choose another"
        )
    if username and password.strip().lower() == username.strip().lower():
        raise RecordError("a password cannot be the user name")
