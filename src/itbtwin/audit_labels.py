"""The audit trail's actions in a clinician's words, for every face that lists the trail (the
CLI's `itbtwin audit` and patient/pump views, the web's audit view); `--json` and exports keep
the machine keys ("refill.record") that the store writes (issue 15)."""

from __future__ import annotations

from itbtwin.display import in_words

AUDIT_ACTIONS: dict[str, str] = {
    "patient.add": "Patient added",
    "patient.update": "Patient details changed",
    "patient.discharge": "Patient discharged",
    "pump.implant": "Pump implanted",
    "pump.revise": "Pump or catheter revised",
    "pump.explant": "Pump explanted",
    "event.record": "Event recorded",
    "event.void": "Event voided",
    "program.set": "Program changed",
    "program.propose": "Program change proposed",
    "program.confirm": "Program change confirmed",
    "program.declined": "Program change declined",
    "program.withdrawn": "Program change withdrawn",
    "program_version.void": "Program version voided",
    "refill.record": "Refill recorded",
    "refill.amend": "Refill corrected",
    "refill.void": "Refill voided",
    "assessment.record": "Assessment recorded",
    "assessment.amend": "Assessment corrected",
    "assessment.void": "Assessment voided",
    "visit.book": "Visit booked",
    "clinic.settings": "Clinic settings changed",
    "clinic.import": "Clinic records imported",
    "user.add": "User added",
    "user.disable": "User disabled",
    "user.reset_password": "Password reset by an administrator",
    "user.change_password": "Password changed",
    "user.enrol_totp": "Authenticator app enrolled",
    "user.end_session": "Session ended",
    "user.end_sessions": "Signed out everywhere",
}
"""Each action key the store writes (`store.audit`) and the label a clinician reads."""

AUDIT_KINDS: dict[str, str] = {
    "patient": "Patients",
    "pump": "Pumps",
    "event": "Events",
    "program": "Programs",
    "program_version": "Program versions",
    "refill": "Refills",
    "assessment": "Assessments",
    "visit": "Visits",
    "clinic": "Clinic",
    "user": "Users",
}
"""The first part of an action key, the kind the web's audit view filters by."""


def audit_action(key: str) -> str:
    """An action key as a clinician reads it: "refill.record" -> "Refill recorded"; a key of
    an older or imported trail that the table lacks is spelt out in words ("Pump: replace")."""
    if key in AUDIT_ACTIONS:
        return AUDIT_ACTIONS[key]
    kind, _, verb = key.partition(".")
    words = in_words(kind)
    text = f"{words}: {in_words(verb)}" if verb else words
    return text[:1].upper() + text[1:]


def audit_kind(kind: str) -> str:
    """A kind of action ("refill") as the audit view's filter names it ("Refills")."""
    return AUDIT_KINDS.get(kind) or audit_action(kind)
