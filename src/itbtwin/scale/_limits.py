"""The size of a virtual trial, checked before the first patient runs (issue 17 pt 4).

A trial of 10^9 patients streams in constant memory but would run for days; a chunk of 10^8
patients would allocate its whole output at once. Both are refused up front with what they would
need (docs/limits.md), as are chunk sizes below one patient.
"""

from __future__ import annotations

from itbtwin.errors import TrialError

MAX_PATIENT_HOURS = 1e12
"""The most patient-hours (patients × simulated hours) in one run. Measured: 100,000 patients
for a year (8.8 × 10^8 patient-hours) took 57 s on 2 shared cores (`itbtwin trial run
examples/trials/alarm_2ml.toml --patients 100000`), about 15 million patient-hours a second, so
10^12 is about a day of computing; a larger study is run as several trials (seeds)."""
RATE_PATIENT_HOURS_PER_S = 1.5e7
"""The measured rate above, used only to say how long a refused trial would take."""
MAX_CHUNK_BYTES = 4e9
"""The most output one chunk may hold at once (patients × output times × outputs × 8 bytes):
4 GB, a quarter of a 16 GB machine, leaving room for the kernel's states and other chunks."""


def _duration(seconds: float) -> str:
    days = seconds / 86400
    return f"{days:,.0f} days" if days >= 2 else f"{seconds / 3600:,.0f} hours"


def check_trial(patients: int, span_h: float, times: int, outputs: int, chunk: int) -> None:
    """Refuse a trial that would run longer than `MAX_PATIENT_HOURS` allows, or a chunk (patients)
    below one or whose output exceeds `MAX_CHUNK_BYTES`."""
    if chunk < 1:
        raise TrialError(f"the chunk size must be at least 1 patient, got {chunk}")
    work = patients * span_h
    if work > MAX_PATIENT_HOURS:
        raise TrialError(
            f"{patients:,} patients over {span_h / 24:,.0f} days is {work:,.0f} patient-hours; "
            f"at most {MAX_PATIENT_HOURS:,.0f} in one run (about a day of computing): this one "
            f"would need about {_duration(work / RATE_PATIENT_HOURS_PER_S)} on one machine. "
            "Run fewer patients, or several trials with different seeds"
        )
    needed = min(chunk, patients) * times * max(outputs, 1) * 8
    if needed > MAX_CHUNK_BYTES:
        raise TrialError(
            f"a chunk of {chunk:,} patients would hold {needed / 1e9:,.1f} GB of output at once; "
            f"at most {MAX_CHUNK_BYTES / 1e9:g} GB: use a smaller --chunk-size"
        )
