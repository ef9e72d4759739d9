"""State changes of the measures domain. Views, admin, commands and imports
call these so that the rules live in one place."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from measures.models import Division, Measure, MeasureDivision, Step, StepItem
from measures.steps_text import ItemLine
from measures.thai import normalize_sara_am


@dataclass(frozen=True)
class StepData:
    number: int
    text: str
    items: Sequence[ItemLine] = field(default_factory=tuple)


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


@transaction.atomic
def replace_steps(*, measure: Measure, steps: Sequence[StepData]) -> list[Step]:
    """Make the measure's steps exactly `steps` (numbers, texts and sub-items)."""
    measure.steps.all().delete()
    created = []
    for data in steps:
        step = Step(measure=measure, number=data.number, text=normalize_sara_am(data.text.strip()))
        step.full_clean()
        step.save()
        set_step_items(step=step, items=data.items)
        created.append(step)
    return created


@transaction.atomic
def set_divisions(*, measure: Measure, divisions: Sequence[Division]) -> None:
    """Make the measure's responsible divisions exactly `divisions`, in order.

    Rows that stay keep their ids, so a form opened before this change still
    refers to them."""
    existing = {a.division_id: a for a in measure.assignments.all()}
    wanted = [division.pk for division in divisions]
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


COORDINATOR_GROUP = "ผู้ประสานงาน ITA"
# Models a coordinator edits in the admin, and those they only look up.
COORDINATOR_EDITS = ("measure", "step", "stepitem", "measuredivision", "progress", "division")
COORDINATOR_VIEWS = ("organization", "round", "fiscalyear", "assessmenttool", "indicator")


def coordinator_group():
    """The permission group that lets coordinators work in the admin."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    codenames = (
        [
            f"{action}_{model}"
            for model in COORDINATOR_EDITS
            for action in ("view", "add", "change", "delete")
        ]
        + [f"view_{model}" for model in COORDINATOR_VIEWS]
        + ["change_round"]
    )
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="measures", codename__in=codenames)
        | Permission.objects.filter(
            content_type__app_label="reports", codename="view_publishedreport"
        )
    )
    return group


@transaction.atomic
def add_member(*, user, organization, role: str, divisions: Sequence[Division] = ()):
    """Give `user` a role in `organization`; coordinators also get the admin."""
    from measures.models import Membership

    membership, _ = Membership.objects.update_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    membership.full_clean()
    membership.divisions.set(divisions)
    if role == Membership.Role.COORDINATOR:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(coordinator_group())
    return membership
