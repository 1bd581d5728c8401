"""The roles of the web workspace's users, kept apart from `_accounts` (SQLAlchemy, argon2) so
that `itbtwin serve --help` and `itbtwin user --help`, whose defaults name them, import neither
(issue 13 start-up)."""

ROLES = ("physician", "nurse", "researcher")
"""Physician: prescribes, confirms changes, may override a block; nurse: refills, assessments,
proposes changes; researcher: de-identified views and virtual trials (issue 15)."""
MFA_ROLES = ROLES
"""Roles that must enrol a TOTP authenticator app before any page (ASVS 5.0 6.3.2: every account
at level 2); `WebSettings.mfa_roles` narrows it where a clinic's policy differs."""
