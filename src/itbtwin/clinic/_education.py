"""A one-page education sheet for one patient and their carers: their pump, their dates, the alarm
sounds, the signs of too little or too much drug, and whom to call.

Self-contained HTML (inline style, no scripts or external files) in plain words; the facts come
from the reference (pharmacology.md §1.2 boxed warning, §1.7 alarms, §1.9 overdose, §1.10
withdrawal) and their sources are listed once in a footnote, not beside each line. The pump's
own dates come from `pump_dates` and `refill_window`; the clinic's name, phone and hours from the
clinic's settings (`ClinicContact`; `itbtwin clinic set`). ``large_print`` doubles the type.
"""

from __future__ import annotations

from html import escape

from itbtwin import sources
from itbtwin.clinic._contact import ClinicContact
from itbtwin.clinic._refill_plan import DEFAULT_WINDOW, WindowOptions, refill_window
from itbtwin.clinic._risk import PatientRisk
from itbtwin.display import format_date, format_number
from itbtwin.pump import Therapy

WITHDRAWAL_SIGNS = (
    "Itching without a rash",
    "Stiffness or spasms coming back or getting worse",
    "Feeling faint or light-headed (low blood pressure)",
    "Pins and needles",
    "Later: high fever, confusion, very stiff muscles: this is an emergency",
)
"""Early and late signs of too little drug, in plain words (lioresal-isi; label:boxed-warning)."""

OVERDOSE_SIGNS = (
    "Very sleepy or hard to wake",
    "Dizzy or light-headed",
    "Slow or shallow breathing",
    "Floppy muscles moving up the body, fits (seizures), not waking up: this is an emergency",
)
"""Signs of too much drug, in plain words (label:overdosage)."""

ALARMS = (
    (
        "One beep about every hour",
        "The pump is running low on medicine, or it must be replaced within 90 days. "
        "Call the clinic in opening hours to book a visit.",
    ),
    (
        "Two tones, again and again",
        "Medicine is no longer flowing (the pump is empty or has a problem). "
        "Call the clinic at once; if it is closed, go to the emergency department.",
    ),
)
"""What the two SynchroMed II alarm sounds mean (synchromed2, patient page; pharmacology §1.7)."""

WHAT_TO_DO = (
    "Any sign of too little or too much medicine: call the clinic now. If breathing is slow, the "
    "person cannot be woken, or there is a high fever or confusion, call an ambulance.",
    "Keep every refill visit and write the dates above on your calendar.",
    "Keep an unexpired bottle of baclofen tablets at home for emergencies.",
    "Carry your pump card and the clinic's phone number.",
)
"""What patient and carers do (saulino2016-troubleshooting, synchromed2, saulino2016-dosing)."""

SHEET_SOURCES = (
    "lioresal-isi",
    "label:boxed-warning",
    "label:overdosage",
    "synchromed2",
    "saulino2016-troubleshooting",
    "saulino2016-dosing",
)
"""The sources of every line above, listed once in the sheet's footnote."""

_STYLE = (
    "body{font-family:'DejaVu Sans',sans-serif;max-width:46em;margin:1.5em auto;padding:0 1em;"
    "line-height:1.45;color:#1d2327;font-size:%(size)s}"
    "h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin:.2em 0}"
    "table{border-collapse:collapse}th,td{text-align:left;padding:.15em .8em .15em 0;"
    "vertical-align:top}th{white-space:nowrap}.alarms th{white-space:normal;width:11em}"
    ".date{font-size:1.25em;font-weight:bold}"
    "section{border:1px solid #ccc;border-radius:6px;padding:.4em 1em;margin:.6em 0;"
    "break-inside:avoid}.call{border:2px solid #a40e26}.blank{display:inline-block;"
    "min-width:12em;border-bottom:1px solid #555}footer{color:#57606a;font-size:.75em;"
    "margin-top:1em}@page{size:A4;margin:12mm}"
    "@media print{body{margin:0;max-width:none;font-size:%(print)s}"
    "section{padding:.15em .8em;margin:.4em 0}"
    "footer{margin-top:.4em}"
    "p,ul{margin:.25em 0}h1{margin:0 0 .3em}}"
)
TYPE_SIZES = {False: ("12pt", "10pt"), True: ("18pt", "16pt")}
"""Body type size (screen, print) of the regular and the large-print sheet."""


def _now_in_force(therapy: Therapy, now_h: float) -> tuple[str, str]:
    """(medicine, daily dose) at `now_h` (h): the last fill's solution and the running program."""
    fills = [r.fill for r in therapy.refills if r.at_h <= now_h]
    fill = fills[-1] if fills else therapy.fill
    program = [p for at_h, p in therapy.programs if at_h <= max(now_h, 0.0)][-1]
    medicine = f"{fill.product or 'baclofen'} {format_number(fill.concentration_mcg_per_ml)} mcg/mL"
    return medicine, format_number(program.daily_dose_mcg(), "mcg a day")


def _dates(risk: PatientRisk, time_zone: str, options: WindowOptions) -> list[str]:
    dates = risk.dates
    window = refill_window(dates, time_zone=time_zone, options=options)
    empty = dates.empty_h is not None and dates.empty_h <= dates.now_h
    if empty:
        lines = ['<p class="date">The pump is empty: call the clinic now.</p>']
    elif window.latest is None:
        lines = ['<p class="date">Next refill: as soon as possible. Call the clinic today.</p>']
    else:
        lines = [f'<p class="date">Next refill: by {format_date(window.latest)}</p>']
    for hour, future, past in (
        (
            dates.low_reservoir_h,
            "The low-reservoir alarm will start on",
            "The low-reservoir alarm has been sounding since",
        ),
        (dates.empty_h, "The pump will be empty on", "The pump has been empty since"),
    ):
        when = dates.local(hour)
        if when is not None:
            ahead = dates.ahead_h(hour) or 0.0
            lines.append(f"<p>{future if ahead > 0 else past} {format_date(when)}.</p>")
    factors = [r.text.split(":")[0] for r in risk.reasons if r.rule == "label_risk_factor"]
    if factors:
        lines.append(
            f"<p><b>Take extra care:</b> {escape(', '.join(factors))} makes a stop of the "
            "medicine more dangerous.</p>"
        )
    return lines


def _clinic_box(clinic: ClinicContact) -> str:
    def field(label: str, value: str) -> str:
        shown = escape(value) if value else '<span class="blank">&nbsp;</span>'
        return f"<tr><th>{label}</th><td>{shown}</td></tr>"

    return (
        '<section class="call"><h2>Your clinic</h2><table>'
        f"{field('Clinic', clinic.name)}{field('Phone', clinic.phone)}"
        f"{field('Open', clinic.hours)}</table></section>"
    )


def _list(items: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def education_sheet(
    risk: PatientRisk,
    therapy: Therapy,
    *,
    patient_name: str = "",
    time_zone: str | None = None,
    options: WindowOptions = DEFAULT_WINDOW,
    clinic: ClinicContact | None = None,
    large_print: bool = False,
) -> str:
    """The patient's education sheet as one self-contained HTML page.

    **Arguments:**
    - `risk`: the patient's assessment (`assess_risk`), whose pump dates give the refill and
      alarm dates; `therapy`: the one assessed (pump, medicine and dose in force at the
      question's moment). `patient_name` is printed (default `risk.name`).
    - `time_zone`: the clinic's IANA zone (default the pump clock's); `options`: the clinic's
      refill window (margin, opening days, holidays), as `refill_window` and the schedule read
      it; `clinic`: whom to call (blanks become lines to fill in by hand).
    - `large_print`: 18 pt type instead of 12 pt (printed: 16 pt instead of 10 pt).
    """
    tz = time_zone or therapy.clock.zones[0][1]
    medicine, dose = _now_in_force(therapy, risk.dates.now_h)
    name = patient_name or risk.name
    about = "".join(
        f"<tr><th>{label}</th><td>{escape(value)}</td></tr>"
        for label, value in (
            ("Name", name),
            ("Pump", therapy.device.name),
            ("Medicine", medicine),
            ("Daily dose", dose),
        )
    )
    alarms = "".join(f"<tr><th>{escape(s)}</th><td>{escape(m)}</td></tr>" for s, m in ALARMS)
    notes = "; ".join(f"{escape(sources.resolve(key))}" for key in SHEET_SOURCES)
    screen, printed = TYPE_SIZES[large_print]
    style = _STYLE % {"size": screen, "print": printed}
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Your baclofen pump: {escape(name)}</title><style>{style}</style></head><body>"
        f"<h1>Your baclofen pump</h1><section><table>{about}</table></section>"
        f"<section><h2>Your dates</h2>{''.join(_dates(risk, tz, options))}</section>"
        f"{_clinic_box(clinic or ClinicContact())}"
        "<section><h2>What the pump's alarm sounds mean</h2>"
        f'<table class="alarms">{alarms}</table></section>'
        "<section><h2>Too little medicine (withdrawal): watch for</h2>"
        f"{_list(WITHDRAWAL_SIGNS)}</section>"
        "<section><h2>Too much medicine (overdose): watch for</h2>"
        f"{_list(OVERDOSE_SIGNS)}</section>"
        f"<section><h2>What to do</h2>{_list(WHAT_TO_DO)}</section>"
        "<footer>This sheet was made by itbtwin from your clinic's records; it does not replace "
        f"your clinic's advice. Sources: {notes}.</footer></body></html>"
    )
