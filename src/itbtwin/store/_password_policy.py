"""What a password must be: long enough, not one of the most common, not the user's name.

OWASP ASVS 5.0 level 2, 6.2: at least 8 characters (6.2.1, "a minimum of 15 characters is
strongly recommended"), every character allowed and taken exactly as typed, no composition
rules, and a check against at least the 3,000 most common passwords (6.2.4). The length follows
whether the password is the only factor: NIST SP 800-63B-4 section 3.1.1.2, on which ASVS 6.2
rests, requires 15 characters of a password used alone and 8 of one used with a second factor.
Every role has a second factor by default (`store.MFA_ROLES`); a role a clinic exempts
(`itbtwin serve --second-factor`) signs in with its password alone and needs 15. A temporary
password (set by an administrator: `itbtwin user add`, `user reset-password`) needs 15 for every
role: it is the only factor of the first sign-in, since the authenticator app is enrolled after
it (a reset removes the app), and so the command line that sets it need not know which roles the
running workspace exempts (issue 17).

The list of common passwords is the 30,000 most common that zxcvbn ships
(`zxcvbn.frequency_lists`, MIT licence, pinned in requirements.lock: drawn from the Xato corpus
of leaked passwords, lower-cased), compared without case. It is read from the package, never
copied into the repository, and only when a password is set.
"""

from __future__ import annotations

from functools import cache

from itbtwin.errors import RecordError

MIN_PASSWORD = 12
"""Shortest password accepted with a second factor (characters): ASVS 5.0 6.2.1 and NIST SP
800-63B-4 3.1.1.2 ask 8 or more [configurable default, above the standard's floor]."""
MIN_PASSWORD_ALONE = 15
"""Shortest password of a role that signs in without a second factor (characters): ASVS 5.0
6.2.1 ("15 strongly recommended"), required by NIST SP 800-63B-4 3.1.1.2 for a password that
is the only factor."""
MAX_PASSWORD = 1000
"""Longest password accepted (characters): ASVS 6.2.9 asks that 64 be allowed; the bound keeps
one argon2 hash of bounded work."""


@cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's 30,000 most common passwords, lower-case (read once, on the first password set)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def min_password(second_factor: bool) -> int:
    """The shortest password accepted: `MIN_PASSWORD` with a second factor, `MIN_PASSWORD_ALONE`
    for a password that is the only factor."""
    return MIN_PASSWORD if second_factor else MIN_PASSWORD_ALONE


def check_password(
    password: str, username: str = "", *, second_factor: bool = True, temporary: bool = False
) -> None:
    """Refuse a password that is too short (`min_password`) or long, a common one, or the user's
    name. `second_factor`: whether the user signs in with an authenticator app too; `temporary`:
    set by an administrator, so used alone at the first sign-in whatever the role."""
    shortest = min_password(second_factor and not temporary)
    if len(password) < shortest:
        alone = "" if second_factor else " (it is the only factor of this role's sign-in)"
        if temporary:
            alone = (
                " (a temporary password is the only factor of the first sign-in: the "
                "authenticator app is enrolled after it)"
            )
        raise RecordError(f"a password needs at least {shortest} characters{alone}")
    if len(password) > MAX_PASSWORD:
        raise RecordError(f"a password has at most {MAX_PASSWORD:,} characters")
    if password.lower() in common_passwords():
        raise RecordError(
            "this password is one of the 30,000 most common passwords: choose another"
        )
    if username and password.strip().lower() == username.strip().lower():
        raise RecordError("a password cannot be the user name")
