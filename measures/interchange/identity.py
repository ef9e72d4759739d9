"""Which existing measure a sheet row is, and what a row would change.

A row is the existing measure with the same indicator and own wording (the
n-th such row is the n-th such measure, in report order); a row left unmatched
then takes the unmatched measure at its position, so a row whose wording was
edited updates that measure in place. Other rows create measures. So importing
the same file twice changes nothing the second time, and rows may be moved.
"""

from collections import defaultdict, deque
from dataclasses import dataclass

from django.db.models import Prefetch

from measures.interchange.reading import MeasureRow
from measures.models import Division, Indicator, Measure, MeasureDivision, Progress, Step


@dataclass
class Plan:
    source: MeasureRow
    indicator: Indicator
    target: str
    divisions: list
    measure: Measure | None = None
    final_order: int = 0

    @property
    def wanted(self) -> dict:
        row = self.source
        wanted = {
            "order": self.final_order,
            "indicator": self.indicator.pk,
            "target": self.target,
            "divisions": [d.pk if isinstance(d, Division) else d for d in self.divisions],
            "steps": [
                (s.number, s.text.strip(), [(i.depth, i.marker, i.text) for i in s.items])
                for s in row.steps
            ],
            "monitoring": row.monitoring,
            "deadline": row.deadline,
        }
        if row.result:
            r = row.result
            wanted["result"] = (r.status, r.completed_on, r.result_text, r.cannot_reason)
        return wanted


def snapshot(measure: Measure) -> dict:
    progress = measure.round_progress[0] if measure.round_progress else None
    return {
        "order": measure.order,
        "indicator": measure.indicator_id,
        "target": measure.target,
        "divisions": [a.division_id for a in measure.assignments.all()],
        "steps": [
            (s.number, s.text, [(i.depth, i.marker, i.text) for i in s.items.all()])
            for s in measure.steps.all()
        ],
        "monitoring": measure.monitoring,
        "deadline": measure.deadline,
        "result": progress
        and (progress.status, progress.completed_on, progress.result_text, progress.cannot_reason),
    }


def existing_measures(organization, fiscal_year, round_kind) -> list[Measure]:
    return list(
        Measure.objects.filter(organization=organization, fiscal_year=fiscal_year)
        .select_related("indicator__tool")
        .prefetch_related(
            Prefetch("assignments", queryset=MeasureDivision.objects.order_by("order")),
            Prefetch("steps", queryset=Step.objects.order_by("number").prefetch_related("items")),
            Prefetch(
                "progress",
                queryset=Progress.objects.filter(round__kind=round_kind),
                to_attr="round_progress",
            ),
        )
        .order_by("order")
    )


def match(plans: list[Plan], existing: list[Measure]) -> list[Measure]:
    """Pair rows with existing measures (see the module docstring); return the rest."""
    by_key = defaultdict(deque)
    for measure in existing:
        by_key[(measure.indicator_id, measure.target)].append(measure)
    for plan in plans:
        if queue := by_key.get((plan.indicator.pk, plan.target)):
            plan.measure = queue.popleft()
    matched = {plan.measure.pk for plan in plans if plan.measure}
    by_order = {m.order: m for m in existing if m.pk not in matched}
    for plan in plans:
        if plan.measure is None and plan.source.position in by_order:
            plan.measure = by_order.pop(plan.source.position)
    matched = {plan.measure.pk for plan in plans if plan.measure}
    return [m for m in existing if m.pk not in matched]
