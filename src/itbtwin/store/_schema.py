"""The clinic's records as SQLAlchemy 2 tables: one class per thing a clinic keeps.

Units are the canonical ones (mcg, mL, mcg/mL, kg, cm) and the column names say them. Record
times (`*_at`) are the clinic's wall-clock time in the pump's time zone (`Pump.time_zone`), as the
programmer and the chart show them; the audit trail's `at` is UTC. Programs are versioned and never
overwritten; the audit trail is append-only (migration 0002 makes the database refuse UPDATE and
DELETE on it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, MetaData, String, UniqueConstraint, and_, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names fixed by convention so migrations name the same thing on every database."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar = {dict[str, Any]: JSON, str: String(200)}


class Patient(Base):
    """A patient: who they are and the boxed-warning risk factors (label boxed warning)."""

    __tablename__ = "patient"
    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(unique=True)
    birth_date: Mapped[date]
    weight_kg: Mapped[float]
    origin: Mapped[str]
    diagnosis: Mapped[str] = mapped_column(default="")
    injury_level: Mapped[str | None]
    communication_difficulty: Mapped[bool] = mapped_column(default=False)
    prior_withdrawal: Mapped[bool] = mapped_column(default=False)
    missed_visits: Mapped[int] = mapped_column(default=0)
    discharged_at: Mapped[datetime | None]
    pumps: Mapped[list[Pump]] = relationship(back_populates="patient", order_by="Pump.id")
    assessments: Mapped[list[Assessment]] = relationship(
        primaryjoin=lambda: _current(Patient.id == Assessment.patient_id, Assessment),
        order_by="Assessment.assessed_at",
    )
    recorded_assessments: Mapped[list[Assessment]] = relationship(viewonly=True)


class Pump(Base):
    """An implanted system: pump model and serial, the catheter implanted with it and where its
    tip lies (later catheters are `Revision` rows)."""

    __tablename__ = "pump"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    device: Mapped[str]
    serial: Mapped[str] = mapped_column(unique=True)
    implanted_at: Mapped[datetime]
    time_zone: Mapped[str]
    catheter_model: Mapped[str]
    catheter_length_cm: Mapped[float]
    tip_level: Mapped[str | None]
    explanted_at: Mapped[datetime | None]
    patient: Mapped[Patient] = relationship(back_populates="pumps")
    revisions: Mapped[list[Revision]] = relationship(order_by="Revision.revised_at")
    programs: Mapped[list[ProgramVersion]] = relationship(
        primaryjoin=lambda: _current(Pump.id == ProgramVersion.pump_id, ProgramVersion),
        order_by="ProgramVersion.version",
    )
    refills: Mapped[list[RefillRecord]] = relationship(
        primaryjoin=lambda: _current(Pump.id == RefillRecord.pump_id, RefillRecord),
        order_by="RefillRecord.performed_at",
    )
    events: Mapped[list[EventRecord]] = relationship(
        primaryjoin=lambda: _current(Pump.id == EventRecord.pump_id, EventRecord),
        order_by="EventRecord.occurred_at",
    )
    recorded_programs: Mapped[list[ProgramVersion]] = relationship(viewonly=True)
    recorded_refills: Mapped[list[RefillRecord]] = relationship(viewonly=True)
    recorded_events: Mapped[list[EventRecord]] = relationship(viewonly=True)
    """Every row as recorded, corrected ones too (the export keeps them with their corrections)."""


class Revision(Base):
    """A surgical revision: the catheter replaced or shortened (a new, empty catheter)."""

    __tablename__ = "revision"
    id: Mapped[int] = mapped_column(primary_key=True)
    pump_id: Mapped[int] = mapped_column(ForeignKey("pump.id"), index=True)
    revised_at: Mapped[datetime]
    catheter_model: Mapped[str]
    catheter_length_cm: Mapped[float]
    tip_level: Mapped[str | None]
    reason: Mapped[str]


class ProgramVersion(Base):
    """One version of a pump's program; a change adds a version, none is ever overwritten.

    `document` is the program in the scenario format (docs/pump.md, ``[[program]]`` without
    ``at``); `mean_daily_dose_mcg` its weekly mean (mcg/day); `verdict` the safety check's.
    """

    __tablename__ = "program_version"
    __table_args__ = (UniqueConstraint("pump_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    pump_id: Mapped[int] = mapped_column(ForeignKey("pump.id"), index=True)
    version: Mapped[int]
    effective_at: Mapped[datetime]
    document: Mapped[dict[str, Any]]
    mean_daily_dose_mcg: Mapped[float]
    concentration_mcg_per_ml: Mapped[float]
    verdict: Mapped[str]
    override_reason: Mapped[str | None] = mapped_column(String(1000))
    entered_by: Mapped[str]
    bridge_from_mcg_per_ml: Mapped[float | None]
    """The bridge bolus of a concentration change: the old solution (mcg/mL) still in the path,
    the path's volume (pump plus catheter, mL) and the hours it takes to clear; None: no bridge."""
    bridge_volume_ml: Mapped[float | None]
    bridge_duration_h: Mapped[float | None]


class RefillRecord(Base):
    """A refill visit as the syringes and the programmer saw it [wesemann2014, maino2017].

    Volumes mL: `withdrawn_ml` aspirated, `expected_ml` the pump's calculated residual,
    `injected_ml`, and `measured_ml` the reservoir volume measured after the refill (None: not
    measured). `discrepancy_ml` = withdrawn − expected; `error_pct` delivered vs programmed volume
    since the last fill; `pocket_discrepancy_ml` = injected − measured.
    """

    __tablename__ = "refill"
    id: Mapped[int] = mapped_column(primary_key=True)
    pump_id: Mapped[int] = mapped_column(ForeignKey("pump.id"), index=True)
    performed_at: Mapped[datetime]
    withdrawn_ml: Mapped[float]
    expected_ml: Mapped[float]
    injected_ml: Mapped[float]
    measured_ml: Mapped[float | None]
    product: Mapped[str]
    concentration_mcg_per_ml: Mapped[float]
    lot: Mapped[str]
    discrepancy_ml: Mapped[float]
    error_pct: Mapped[float | None]
    pocket_discrepancy_ml: Mapped[float | None]
    pocket_fill_flag: Mapped[bool]
    performed_by: Mapped[str]
    product_expiry: Mapped[date | None] = mapped_column(default=None)


class Assessment(Base):
    """A clinical assessment: MAS grade per muscle group, Penn scores, adverse effects."""

    __tablename__ = "assessment"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    assessed_at: Mapped[datetime]
    mas: Mapped[dict[str, Any]]
    penn_frequency: Mapped[int | None]
    penn_severity: Mapped[int | None]
    adverse_effects: Mapped[str] = mapped_column(String(2000), default="")
    assessed_by: Mapped[str]


class EventRecord(Base):
    """An alarm heard, a fault found or anything else that happened to a pump."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(primary_key=True)
    pump_id: Mapped[int] = mapped_column(ForeignKey("pump.id"), index=True)
    occurred_at: Mapped[datetime]
    kind: Mapped[str]
    detail: Mapped[str] = mapped_column(String(2000), default="")
    fraction: Mapped[float | None]
    """A catheter fault's measured share of the flow affected (0-1]; None: not measured."""
    programmed_mcg_per_ml: Mapped[float | None]
    """A wrong_concentration event's concentration found programmed (mcg/mL; migration 0011)."""


class Correction(Base):
    """An amendment or voiding of a refill, assessment, event or program version (`entity`, the
    table's name). The original row stays; an amendment's values are a new row of the same table
    (`replacement_id`); a voiding has none. `corrected_at` is UTC, like the audit trail's."""

    __tablename__ = "correction"
    __table_args__ = (UniqueConstraint("entity", "original_id", name="uq_correction_entity"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str]
    original_id: Mapped[int]
    replacement_id: Mapped[int | None]
    kind: Mapped[str]
    corrected_at: Mapped[datetime]
    corrected_by: Mapped[str]
    reason: Mapped[str] = mapped_column(String(2000))


def _current(join: Any, table: type[Base]) -> Any:
    """A relationship's join limited to rows no correction has replaced or voided: what the
    views, the clinic rules and the twin read."""
    replaced = select(Correction.original_id).where(Correction.entity == table.__tablename__)
    return and_(join, table.id.not_in(replaced))  # type: ignore[attr-defined]


class AuditEntry(Base):
    """Who changed what, when (UTC) and why; rows are only ever added."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str]
    action: Mapped[str]
    entity: Mapped[str]
    entity_id: Mapped[int | None]
    what: Mapped[dict[str, Any]]
    why: Mapped[str] = mapped_column(String(2000), default="")


# The audit chain's listener must see every write, whichever store module a command imports
# first (the package exports lazily): registering it here, where the tables are, guarantees that.
from itbtwin.store import _audit_chain as _audit_chain  # noqa: E402
