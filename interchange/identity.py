"""Which existing measure a sheet row is, and what a row would change.

A row is the existing measure with the same indicator and own wording (the
n-th such row is the n-th such measure, in report order); a row left unmatched
then takes the unmatched measure at its position, so a row whose wording was
edited updates that measure in place. Other rows create measures. So importing
the same file twice changes nothing the second time, and rows may be moved.

A row is compared with the measure as a file would hold it (`snapshot`): the
stored values are written as the export writes them and read back as the
import reads them. What a cell cannot hold (line ends, spaces at the end of a
line, blank lines, the digits of the numbers the portal writes: step numbers and
dates) then never counts as a change, so an exported file imported again,
unchanged, changes nothing. Typed text keeps its digits both ways (the export
writes it as typed), so "๒ ครั้ง" typed over "2 ครั้ง" is a change.
"""

from collections import defaultdict, deque
from dataclasses import dataclass

from django.db.models import Prefetch

from catalogue.models import Indicator
from interchange import shape
from interchange.reading import MeasureRow
from measures.models import Measure, MeasureDivision, Step
from measures.services import StepData
from measures.steps_text import ItemTextError
from organizations.models import Division
from progress.models import Progress


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
            "steps": _step_tuples(row.steps),
            "monitoring": row.monitoring,
            "deadline": row.deadline,
        }
        if row.result:
            r = row.result
            wanted["result"] = (r.status, r.completed_on, r.result_text, r.cannot_reason)
        return wanted


def _read_back(parse, text: str, stored):
    """`text` (a column as export writes it) read as import reads it; the stored
    value itself if the import could not read it."""
    try:
        return parse(shape.clean_text(text))
    except (shape.CellError, ItemTextError):
        return stored


def _step_tuples(steps) -> list:
    return [(s.number, s.text, [(i.depth, i.marker, i.text) for i in s.items]) for s in steps]


def snapshot(measure: Measure) -> dict:
    """The measure as a file exported from it reads (see the module docstring)."""
    cached = getattr(measure, "_interchange_snapshot", None)
    if cached is not None:
        return cached
    progress = measure.round_progress[0] if measure.round_progress else None
    steps = [StepData(s.number, s.text, tuple(s.items.all())) for s in measure.steps.all()]
    target = measure.target
    if target:
        ref = _read_back(
            lambda text: shape.parse_indicator(text, None), shape.format_indicator(measure), None
        )
        target = ref.wording if ref and ref.own_wording else target
    result = None
    if progress:
        stored = (
            progress.status,
            progress.completed_on,
            progress.result_text,
            progress.cannot_reason,
        )
        read = _read_back(shape.parse_result, shape.format_result(progress), None)
        result = (
            (read.status, read.completed_on, read.result_text, read.cannot_reason)
            if read
            else stored
        )
    measure._interchange_snapshot = {
        "order": measure.order,
        "indicator": measure.indicator_id,
        "target": target,
        "divisions": [a.division_id for a in measure.assignments.all()],
        "steps": _step_tuples(_read_back(shape.parse_steps, shape.format_steps(steps), steps)),
        "monitoring": _read_back(
            shape.parse_monitoring, "\n".join(measure.monitoring_lines), measure.monitoring
        ),
        "deadline": measure.deadline,
        "result": result,
    }
    return measure._interchange_snapshot


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
        by_key[(measure.indicator_id, snapshot(measure)["target"])].append(measure)
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
