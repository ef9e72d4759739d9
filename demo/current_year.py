"""The demo agency as it is used today (issue 21): the seed's year stays as it was
published, its rounds closed, and the agency works in today's fiscal year with the
seed's measures rolled over and a little progress reported in the weeks before
today, so that a newcomer sees no "เลยกำหนด 1163 วัน" but a round under way."""

from dataclasses import dataclass
from datetime import date, timedelta

from catalogue import services as catalogue
from interchange.rollover import rollover
from measures import services as measure_services
from measures.models import Measure, Round
from organizations.access import SYSTEM
from organizations.models import Organization
from progress import services as progress
from progress.models import Progress
from reports.services import publish_round
from thai.conventions import fiscal_year_of

REASON = "ข้อมูลสาธิตของปีปัจจุบัน"


@dataclass
class CurrentYear:
    fiscal_year: int
    measures: int
    reported: int


def bring_to_today(
    organization: Organization, seed_year: int, today: date, coordinator
) -> CurrentYear | None:
    """Publish (as the agency's `coordinator`) and close the seed's year, roll its
    measures into today's fiscal year and report some progress there; None when the
    agency already works in it."""
    year = fiscal_year_of(today)
    if (
        year <= seed_year
        or Measure.objects.filter(organization=organization, fiscal_year__year=year).exists()
    ):
        return None
    fiscal_year = catalogue.ensure_year(year)
    if fiscal_year is None:
        return None  # no catalogue ships for today's year yet: the seed's year stays
    _publish_and_close(organization, seed_year, coordinator)
    rollover(organization=organization, from_year=seed_year, to_year=year, user=SYSTEM)
    rounds = {
        kind: measure_services.ensure_round(
            user=SYSTEM, organization=organization, fiscal_year=fiscal_year, kind=kind
        )
        for kind in Round.Kind.values
    }
    measures = list(
        Measure.objects.filter(organization=organization, fiscal_year__year=year).order_by("order")
    )
    reported = _report(measures, _current_round(rounds, today), today)
    return CurrentYear(year, len(measures), reported)


def _publish_and_close(organization: Organization, seed_year: int, coordinator) -> None:
    for round_ in Round.objects.filter(organization=organization, fiscal_year__year=seed_year):
        if round_.kind == Round.Kind.SIX_MONTHS and not round_.publications.exists():
            publish_round(round_=round_, user=coordinator)  # the seed is this round's report
        if round_.is_open:
            progress.set_round_open(round_=round_, user=SYSTEM, is_open=False)


def _current_round(rounds: dict[int, Round], today: date) -> Round:
    """The 6-month round until its last day (31 March), the 12-month round after."""
    six = rounds[Round.Kind.SIX_MONTHS]
    return six if today <= six.end else rounds[Round.Kind.TWELVE_MONTHS]


# (status, days before today it was done, result, then: submit, approve)
DEMO_PROGRESS = [
    (Progress.Status.DONE, 21, "จัดประชุมชี้แจงแนวทางให้บุคลากรทุกส่วนราชการแล้ว", True, True),
    (Progress.Status.DONE, 6, "จัดทำประกาศและเผยแพร่บนเว็บไซต์ของหน่วยงานแล้ว", True, False),
    (Progress.Status.IN_PROGRESS, None, "อยู่ระหว่างรวบรวมข้อมูลจากส่วนราชการ", False, False),
]


def _report(measures: list[Measure], round_: Round, today: date) -> int:
    for measure, (status, days, text, submit, approve) in zip(
        measures, DEMO_PROGRESS, strict=False
    ):
        saved = progress.save_progress(
            measure=measure,
            round_=round_,
            user=SYSTEM,
            data=progress.ProgressInput(
                status=status,
                completed_on=today - timedelta(days=days) if days is not None else None,
                result_text=text,
                cannot_reason="",
            ),
            seen_version=0,
            reason=REASON,
        )
        if submit:
            saved = progress.submit_progress(progress=saved, user=SYSTEM)
        if approve:
            progress.review_progress(progress=saved, user=SYSTEM, approve=True, comment="")
    return min(len(measures), len(DEMO_PROGRESS))
