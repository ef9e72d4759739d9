"""State changes of measures, their divisions and steps, divisions and round
sign-off. The admin, imports, rollover, load_seed and commands call these, so
the rules live in one place; who may do what is asked of organizations.access.
(Progress, review and rounds opening: progress.services; publishing:
reports.services.)"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from catalogue.models import Indicator
from measures.models import Measure, MeasureDivision, Round, Step, StepItem
from measures.steps_text import ItemLine
from organizations import changes
from organizations.access import Action, can, recorded_user
from organizations.models import Division
from organizations.services import clean_text, require_manager
from thai.conventions import normalize_sara_am

MEASURE_FIELDS = ("indicator_id", "target", "monitoring", "deadline", "order")


def _lock_rounds(organization_id: int, fiscal_year_id: int) -> None:
    """On PostgreSQL, read the year's rounds FOR SHARE: opening or closing one
    waits for this write, and a write that waited sees the round as it is now
    (SQLite writers queue on the whole database)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Round._meta.db_table} "
                "WHERE organization_id = %s AND fiscal_year_id = %s FOR SHARE",
                [organization_id, fiscal_year_id],
            )


def refuse_closed_year(measure: Measure, *, doing: str = "แก้ไข", order: int | None = None):
    """A measure of a closed year (Measure.year_is_closed) is what the year
    reported: nothing changes or deletes it until a round is opened again."""
    _lock_rounds(measure.organization_id, measure.fiscal_year_id)
    if measure.year_is_closed:
        order = order or measure.order
        which = f"มาตรการลำดับที่ {order}" if order else "มาตรการ"
        raise ValidationError(
            f"ปีงบประมาณ พ.ศ. {measure.fiscal_year.year} ปิดรอบการรายงานแล้วทุกรอบ "
            f"{doing}{which}ไม่ได้ เปิดรอบใหม่ก่อนหากต้อง{doing}"
        )


@dataclass(frozen=True)
class StepData:
    number: int
    text: str
    items: Sequence[ItemLine] = field(default_factory=tuple)
    # The existing step this one edits, when the caller knows it (admin forms);
    # otherwise steps are matched by number.
    pk: int | None = None


@dataclass(frozen=True)
class MeasureData:
    indicator: Indicator
    target: str
    monitoring: str
    deadline: date | None
    order: int
    # None leaves the divisions or the steps as they are.
    divisions: Sequence[Division] | None = None
    steps: Sequence[StepData] | None = None


@transaction.atomic
@changes.collecting()
def save_measure(*, user, measure: Measure, data: MeasureData, reason: str) -> Measure:
    """Create (`measure` unsaved, with its organization and fiscal year) or
    update a measure, with its divisions and steps when given.

    A saved measure stays in its organization and fiscal year: a change of
    either is refused, whatever the form or file said."""
    require_manager(user, measure.organization_id)
    stored = None
    if measure.pk:
        stored = (
            Measure.objects.select_for_update()
            .filter(pk=measure.pk)
            .values("organization_id", "fiscal_year_id", *MEASURE_FIELDS)
            .first()
        )
        if stored is None:
            raise ValidationError("มาตรการนี้ถูกลบไปแล้ว")
        if (stored["organization_id"], stored["fiscal_year_id"]) != (
            measure.organization_id,
            measure.fiscal_year_id,
        ):
            raise ValidationError({"organization": "ย้ายมาตรการไปหน่วยงานหรือปีงบประมาณอื่นไม่ได้"})
    wanted = {
        "indicator_id": data.indicator.pk,
        "target": clean_text(data.target),
        "monitoring": clean_text(data.monitoring),
        "deadline": data.deadline,
        "order": data.order,
    }
    changed = stored is None or any(stored[k] != v for k, v in wanted.items())
    for name, value in wanted.items():
        setattr(measure, name, value)
    measure.indicator = data.indicator  # the object at hand: no query to validate it
    # An unchanged measure is not written, so its history shows only real changes.
    if changed:
        measure._change_reason = reason
        measure.full_clean()
        measure.save()
    parts_changed = False
    if data.divisions is not None:
        parts_changed |= set_divisions(measure=measure, divisions=data.divisions)
    if data.steps is not None:
        parts_changed |= set_steps(measure=measure, steps=data.steps, reason=reason)
    if parts_changed and not changed:
        # "Last changed" covers divisions and steps too: a form opened before
        # this save is then seen to be stale (admin_forms.StaleEditCheckMixin).
        measure.updated_at = timezone.now()
        Measure.objects.filter(pk=measure.pk).update(updated_at=measure.updated_at)
    if changed or parts_changed:
        # Refused after the writes, which the transaction then undoes: an
        # unchanged measure of a closed year (a re-import) passes.
        refuse_closed_year(
            measure, doing="แก้ไข" if stored else "เพิ่ม", order=stored["order"] if stored else None
        )
        changes.changed(measure.organization_id, measure.fiscal_year_id)
    return measure


class MeasuresInvalid(ValidationError):
    """Some of the measures given to a bulk write break the rules: to `create_measures`,
    or their first results to `progress.services.record_first_results`. `errors` is
    [(index in the list, ValidationError)]."""

    def __init__(self, errors: list[tuple[int, ValidationError]]):
        self.errors = errors
        super().__init__([message for _, error in errors for message in error.messages])


# Foreign keys the bulk path checks itself (the organization's own divisions, the
# year's indicators): Django's field validation would ask the database per row.
_RELATIONS = ["organization", "fiscal_year", "indicator", "measure", "division", "step"]


def _validated(obj):
    """`obj` checked by its fields and clean(), without a query per row;
    uniqueness and constraints are checked by the caller (and the database)."""
    obj.full_clean(exclude=_RELATIONS, validate_unique=False, validate_constraints=False)
    return obj


def _new_measure_rows(organization, measure: Measure, data: MeasureData):
    """The division and step rows of a new measure, checked as set_divisions and
    set_steps check them."""
    divisions = list(data.divisions or [])
    if len({d.pk for d in divisions}) != len(divisions):
        raise ValidationError({"division": "ส่วนราชการซ้ำกันในรายชื่อผู้รับผิดชอบ"})
    for division in divisions:
        if division.organization_id != organization.pk:
            raise ValidationError({"division": f"“{division}” เป็นส่วนราชการของหน่วยงานอื่น"})
    assignments = [
        MeasureDivision(measure=measure, division=division, order=order)
        for order, division in enumerate(divisions, start=1)
    ]
    numbers = [step.number for step in data.steps or []]
    if len(set(numbers)) != len(numbers) or any(n < 1 for n in numbers):
        raise ValidationError({"number": "ข้อที่ของขั้นตอนต้องเริ่มที่ 1 และไม่ซ้ำกัน"})
    steps, items = [], []
    for step_data in data.steps or []:
        step = _validated(
            Step(measure=measure, number=step_data.number, text=clean_text(step_data.text))
        )
        steps.append(step)
        for order, item in enumerate(step_data.items, start=1):
            if item.depth not in (1, 2):
                raise ValidationError({"depth": "หัวข้อย่อยซ้อนกันได้ไม่เกิน 2 ระดับ"})
            row = StepItem(
                step=step,
                order=order,
                depth=item.depth,
                marker=item.marker,
                text=normalize_sara_am(item.text),
            )
            items.append(_validated(row))
    return assignments, steps, items


@transaction.atomic
@changes.collecting()
def create_measures(
    *, user, organization, fiscal_year, items: Sequence[MeasureData], reason: str
) -> list[Measure]:
    """Create many new measures with their divisions and steps (imports, rollover)
    in a handful of bulk inserts, with their history records. The rules are those
    of save_measure, checked for every measure before anything is written; broken
    ones raise MeasuresInvalid naming each."""
    require_manager(user, organization.pk)
    if items:
        year = Measure(organization=organization, fiscal_year=fiscal_year, order=0)
        refuse_closed_year(year, doing="เพิ่ม")
    taken = set(
        Measure.objects.filter(organization=organization, fiscal_year=fiscal_year).values_list(
            "order", flat=True
        )
    )
    measures, rows, errors = [], [], []
    for index, data in enumerate(items):
        measure = Measure(
            organization=organization,
            fiscal_year=fiscal_year,
            indicator=data.indicator,
            target=clean_text(data.target),
            monitoring=clean_text(data.monitoring),
            deadline=data.deadline,
            order=data.order,
        )
        try:
            if data.indicator.tool.fiscal_year_id != fiscal_year.pk:
                raise ValidationError({"indicator": "ตัวชี้วัดนี้ไม่ใช่ของปีงบประมาณนี้"})
            _validated(measure)
            if data.order in taken:
                raise ValidationError({"order": f"ลำดับที่ {data.order} มีมาตรการอื่นอยู่แล้ว"})
            rows.append(_new_measure_rows(organization, measure, data))
        except ValidationError as error:
            errors.append((index, error))
            continue
        taken.add(data.order)
        measures.append(measure)
    if errors:
        raise MeasuresInvalid(errors)
    editor = recorded_user(user)
    bulk_create_with_history(measures, Measure, default_user=editor, default_change_reason=reason)
    # Rows made before their measure had an id point at it now.
    assignments = [a for assigned, _, _ in rows for a in assigned]
    steps = [step for _, measure_steps, _ in rows for step in measure_steps]
    for row in assignments + steps:
        row.measure_id = row.measure.pk
    MeasureDivision.objects.bulk_create(assignments)
    bulk_create_with_history(steps, Step, default_user=editor, default_change_reason=reason)
    step_items = [item for _, _, measure_items in rows for item in measure_items]
    for item in step_items:
        item.step_id = item.step.pk
    StepItem.objects.bulk_create(step_items)
    if measures:
        changes.changed(organization.pk, fiscal_year.pk)
    return measures


@transaction.atomic
def reorder_measures(*, user, measures: Sequence[Measure], orders: dict[int, int]) -> None:
    """Give measures (of one organization and year) new report orders, {pk: order};
    orders are unique, so the ones that move step out of the way first. The
    instances keep their old `order`, so a caller can still tell what moved."""
    moving = [m for m in measures if m.pk in orders and orders[m.pk] != m.order]
    if not moving:
        return
    for organization_id in {m.organization_id for m in moving}:
        require_manager(user, organization_id)
    first = moving[0]
    siblings = Measure.objects.filter(
        organization_id=first.organization_id, fiscal_year_id=first.fiscal_year_id
    )
    spare = max([m.order for m in siblings.only("order")] + list(orders.values()) + [0])
    for offset, measure in enumerate(moving, start=spare + 1):
        Measure.objects.filter(pk=measure.pk).update(order=offset)
    for measure in moving:
        Measure.objects.filter(pk=measure.pk).update(order=orders[measure.pk])


@transaction.atomic
@changes.collecting()
def delete_measure(*, user, measure: Measure, reason: str) -> None:
    """Delete the measure with its steps and progress; its evidence files go from
    storage once the deletion is committed (progress.signals)."""
    require_manager(user, measure.organization_id)
    refuse_closed_year(measure, doing="ลบ")
    _refuse_closed_results(measure)
    measure._change_reason = reason
    measure.delete()
    changes.changed(measure.organization_id, measure.fiscal_year_id)


def _refuse_closed_results(measure: Measure) -> None:
    """Results of a closed round are what that round reported (and perhaps
    published): the measure keeps them until that round is opened again, even while
    another round of the year is open. The rounds are locked by refuse_closed_year."""
    closed = (
        measure.progress.filter(round__is_open=False)
        .select_related("round__fiscal_year")
        .order_by("round__kind")
        .first()
    )
    if closed is not None:
        raise ValidationError(
            f"มาตรการลำดับที่ {measure.order} มีผลการดำเนินการของ{closed.round} ซึ่งปิดแล้ว "
            "จึงลบไม่ได้ เปิดรอบนั้นอีกครั้งก่อนหากต้องลบ"
        )


@transaction.atomic
@changes.collecting()
def ensure_round(*, user, organization, fiscal_year, kind: int) -> Round:
    """The organization's round of the year, created (open) if it is not there yet."""
    require_manager(user, organization.pk)
    round_ = Round.objects.filter(
        organization=organization, fiscal_year=fiscal_year, kind=kind
    ).first()
    if round_ is None:
        round_ = Round(organization=organization, fiscal_year=fiscal_year, kind=kind)
        round_.full_clean()
        round_.save()
        changes.changed(organization.pk, fiscal_year.pk)
    return round_


SIGN_OFF_FIELDS = ("reporter_name", "reporter_position", "approver_name", "approver_position")


@transaction.atomic
def set_round_sign_off(*, user, round_: Round, **names: str) -> Round:
    """The names and positions printed under the round's report."""
    if not can(user, round_.organization, Action.MANAGE_ROUNDS):
        raise PermissionDenied("เฉพาะผู้ประสานงานเท่านั้นที่แก้ไขผู้รายงานและผู้อนุมัติของรอบได้")
    unknown = set(names) - set(SIGN_OFF_FIELDS)
    if unknown:
        raise ValueError(f"not sign-off fields: {sorted(unknown)}")
    if not Round.objects.select_for_update().filter(pk=round_.pk, is_open=True).exists():
        raise ValidationError(
            f"{round_} ปิดแล้ว แก้ไขชื่อผู้รายงานและผู้อนุมัติของรอบนี้ไม่ได้ เปิดรอบใหม่ก่อนหากต้องแก้"
        )
    for name, value in names.items():
        setattr(round_, name, clean_text(value))
    round_.full_clean()
    round_.save(update_fields=list(names))
    return round_


def _item_tuples(items) -> list[tuple[int, str, str]]:
    return [(item.depth, item.marker, normalize_sara_am(item.text)) for item in items]


def set_step_items(*, step: Step, items: Sequence[ItemLine]) -> None:
    step.items.all().delete()
    rows = [
        StepItem(
            step=step,
            order=order,
            depth=item.depth,
            marker=item.marker,
            text=normalize_sara_am(item.text),
        )
        for order, item in enumerate(items, start=1)
    ]
    for row in rows:
        row.full_clean(exclude=["step"])
    StepItem.objects.bulk_create(rows)


def _match_steps(existing: dict[int, Step], steps: Sequence[StepData]) -> list[Step | None]:
    """The existing step each entry edits (by id, else by number), or None for new."""
    named = {data.pk for data in steps if data.pk in existing}
    by_number = {s.number: s for s in existing.values() if s.pk not in named}
    claimed: set[int] = set()
    matched = []
    for data in steps:
        step = existing.get(data.pk) if data.pk in existing else by_number.get(data.number)
        if step is not None and step.pk in claimed:
            step = None
        if step is not None:
            claimed.add(step.pk)
        matched.append(step)
    return matched


def _refuse_dropping_closed_marks(steps: list[Step]) -> None:
    """A step ticked in a closed round stays: deleting it would delete the
    round's marks with it (they cascade)."""
    marked = (
        Step.objects.filter(pk__in=[s.pk for s in steps], marks__progress__round__is_open=False)
        .values_list("number", "marks__progress__round__kind")
        .order_by("number")
        .first()
    )
    if marked:
        number, kind = marked
        raise ValidationError(
            f"ขั้นตอนข้อที่ {number} มีผลการดำเนินการของ{Round.Kind(kind).label}ที่ปิดแล้ว "
            "ลบขั้นตอนนี้ไม่ได้ (ผลที่รายงานไว้จะหายไปด้วย) เปิดรอบนั้นก่อนหากต้องลบ"
        )


@transaction.atomic
def set_steps(*, measure: Measure, steps: Sequence[StepData], reason: str = "") -> bool:
    """Make the measure's steps exactly `steps` (numbers, texts and sub-items);
    True if that changed anything.

    Steps that stay keep their ids, and with them what staff ticked as done;
    unchanged steps are not written. Step numbers must be unique."""
    numbers = [data.number for data in steps]
    if len(set(numbers)) != len(numbers):
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        raise ValidationError(f"ข้อที่ {', '.join(map(str, twice))} ซ้ำกันในขั้นตอนของมาตรการนี้")
    existing = {s.pk: s for s in measure.steps.prefetch_related("items")}
    matched = _match_steps(existing, steps)
    kept = {step.pk for step in matched if step is not None}
    changed = False
    dropped = [s for pk, s in existing.items() if pk not in kept]
    if dropped:
        refuse_closed_year(measure)
        _refuse_dropping_closed_marks(dropped)
    for gone in dropped:
        gone._change_reason = reason
        gone.delete()
        changed = True
    # (measure, number) is unique: renumbered steps step out of the way first.
    moving = {
        step.pk
        for step, data in zip(matched, steps, strict=True)
        if step and step.number != data.number
    }
    spare = max([s.number for s in existing.values()] + numbers + [0])
    for offset, pk in enumerate(sorted(moving), start=spare + 1):
        Step.objects.filter(pk=pk).update(number=offset)
    for step, data in zip(matched, steps, strict=True):
        text = clean_text(data.text)
        items_differ = step is None or _item_tuples(step.items.all()) != _item_tuples(data.items)
        if step is None:
            step = Step(measure=measure)
        elif (step.number, step.text) == (data.number, text) and step.pk not in moving:
            if items_differ:
                set_step_items(step=step, items=data.items)
                changed = True
            continue
        step.number, step.text = data.number, text
        step._change_reason = reason
        step.full_clean()
        step.save()
        changed = True
        if items_differ:
            set_step_items(step=step, items=data.items)
    return changed


@transaction.atomic
@changes.collecting()
def set_divisions(*, measure: Measure, divisions: Sequence[Division]) -> bool:
    """Make the measure's responsible divisions exactly `divisions`, in order;
    True if that changed anything.

    Rows that stay keep their ids, so a form opened before this change still
    refers to them."""
    existing = {a.division_id: a for a in measure.assignments.order_by("order")}
    wanted = [division.pk for division in divisions]
    if list(existing) == wanted:
        return False
    refuse_closed_year(measure)
    measure.assignments.exclude(division_id__in=wanted).delete()
    kept = [existing[pk] for pk in wanted if pk in existing]
    # Out of the way first: (measure, order) is unique while rows are renumbered.
    for offset, row in enumerate(kept, start=len(wanted) + 1):
        row.order = offset
    MeasureDivision.objects.bulk_update(kept, ["order"])
    new = []
    for order, division in enumerate(divisions, start=1):
        row = existing.get(division.pk)
        if row is None:
            row = MeasureDivision(measure=measure, division=division)
            new.append(row)
        row.order = order
        row.full_clean()
    MeasureDivision.objects.bulk_update(kept, ["order"])
    MeasureDivision.objects.bulk_create(new)
    changes.changed(measure.organization_id, measure.fiscal_year_id)
    return True
