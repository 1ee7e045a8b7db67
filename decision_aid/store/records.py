"""What the store hands out about a patient's answers: a `Submission` (one set of answers, with
its reference code and dates) and a `SentSummary` (one line of the clinic's list)."""

from dataclasses import dataclass, field
from datetime import datetime

from decision_aid.store.references import format_reference
from decision_aid.store.schema import as_utc


@dataclass
class Submission:
    """One patient's set of answers, a row of the `responses` table."""

    id: int
    reference: str
    answers: dict
    completed_steps: list = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    finished_at: datetime | None = None
    sent_at: datetime | None = None
    reviewed_at: datetime | None = None
    reviewed_by: int | None = None
    sent_answers: dict | None = None  # the clinic's copy (see Store.send)
    answered_at: datetime | None = None
    version: int = 0  # raised by each save (decision_aid.web.saving)
    language: str | None = None  # the patient's pages' language at the last save
    followup: dict | None = None  # "How did your appointment go?" (store.followup)
    followup_at: datetime | None = None
    followup_sent_at: datetime | None = None  # sent to the clinic, only if the patient chose

    @property
    def reference_display(self):
        return format_reference(self.reference)


@dataclass
class SentSummary:
    """One line of the clinic's list: no answers, only what the list shows, as stored when the
    summary was sent or last changed (decision_aid.clinic.listing). `red_flags` is None when the
    answers could not be read."""

    reference: str
    sent_at: datetime
    reviewed_at: datetime | None
    finished: bool
    red_flags: bool | None = None
    urgent: tuple[str, ...] = ()  # codes of the urgent items (decision_aid.guidance.urgent)
    patient_name: str | None = None
    date_of_birth: str | None = None
    appointment: str | None = None
    appointment_time: str | None = None  # "14:30", when given
    language: str | None = None  # the patient's pages' language at the last save

    @property
    def reference_display(self):
        return format_reference(self.reference)


def submission_from_row(row, clinic_copy=False):
    """The patient's answers, or with `clinic_copy` what the clinic sees: the copy sent."""
    sent_answers = dict(row.sent_answers) if row.sent_answers is not None else None
    answers = dict(row.answers or {})
    if clinic_copy and sent_answers is not None:
        answers = sent_answers
    return Submission(
        id=row.id,
        reference=row.reference,
        answers=answers,
        sent_answers=sent_answers,
        completed_steps=list(row.completed_steps or []),
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        finished_at=as_utc(row.finished_at),
        sent_at=as_utc(row.sent_at),
        reviewed_at=as_utc(row.reviewed_at),
        reviewed_by=row.reviewed_by,
        answered_at=as_utc(row.answered_at),
        version=row.version,
        language=row.language,
        followup=dict(row.followup) if getattr(row, "followup", None) else None,
        followup_at=as_utc(getattr(row, "followup_at", None)),
        followup_sent_at=as_utc(getattr(row, "followup_sent_at", None)),
    )


def summary_from_row(row):
    return SentSummary(
        reference=row.reference,
        sent_at=as_utc(row.sent_at),
        reviewed_at=as_utc(row.reviewed_at),
        finished=row.finished_at is not None,
        red_flags=row.red_flags,
        urgent=tuple(row.urgent or ()),
        patient_name=row.patient_name,
        date_of_birth=row.date_of_birth,
        appointment=row.appointment,
        appointment_time=row.appointment_time,
        language=row.language,
    )
