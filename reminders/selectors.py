"""Who must be reminded of what today: the reminders' reads.

One `Notice` is one e-mail: a person, a kind of reminder, an agency and the items
(measures, results, rounds) it names, each with its `key` (reminders.models) and a
link straight to where the person acts. Only open rounds are read; only active
people with an e-mail address who have not turned reminders off are reminded.

- staff of a responsible division: a measure of an open round that waits for them
  (no result yet, a draft, or returned), ITA_REMINDER_DAYS_BEFORE days before it is
  due in the round (its own deadline, else the round's end, whichever is first), and
  every ITA_REMINDER_LATE_EVERY_DAYS days once that date has passed;
- the coordinator: a result waiting for review longer than
  ITA_REMINDER_REVIEW_AFTER_DAYS days (then again every late interval), and the
  measures not yet done those days before the round's end;
- the executive: a short summary of each open round, once a week;
- approvers: versions waiting for their approval (reminders.approval_reminders,
  which send_services adds).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from measures.models import Measure, MeasureDivision, Round
from organizations import access
from organizations.models import Membership, Organization
from progress import standing
from progress.models import Progress, ReviewState
from reminders.models import Kind
from thai import conventions as thai

Role = Membership.Role


@dataclass
class Item:
    key: str  # SentReminder.subject_key: the thing and the stage it is at
    title: str
    url: str
    note: str = ""


@dataclass
class Notice:
    user: object
    kind: str
    organization: Organization
    items: list[Item] = field(default_factory=list)


def absolute(path: str) -> str:
    return settings.ITA_SITE_URL + path


def _stage(days_left: int) -> str | None:
    """'d7' for the smallest threshold of ITA_REMINDER_DAYS_BEFORE not below
    `days_left`; 'late:wN' in the Nth interval late; None when not yet near."""
    if days_left < 0:
        return f"late:w{(-days_left - 1) // settings.ITA_REMINDER_LATE_EVERY_DAYS}"
    near = [t for t in settings.ITA_REMINDER_DAYS_BEFORE if days_left <= t]
    return f"d{min(near)}" if near else None


def _when(days_left: int) -> str:
    if days_left < 0:
        return f"เลยกำหนดมาแล้ว {-days_left} วัน"
    return "ครบกำหนดวันนี้" if days_left == 0 else f"อีก {days_left} วัน"


def reminded_people(organization_ids) -> dict[int, list[Membership]]:
    """The members of these organizations who receive reminders, by organization,
    with their divisions: active, with an address, not turned off."""
    members = (
        Membership.objects.filter(organization_id__in=organization_ids, user__is_active=True)
        .exclude(user__email="")
        .exclude(user__reminder_preference__enabled=False)
        .select_related("user")
        .prefetch_related("divisions")
        .order_by("organization_id", "user__username")
    )
    people = defaultdict(list)
    for membership in members:
        people[membership.organization_id].append(membership)
    return people


def _measures(organization: Organization, rounds: list[Round]) -> list[Measure]:
    return list(
        Measure.objects.filter(
            organization=organization, fiscal_year__in={r.fiscal_year_id for r in rounds}
        )
        .select_related("indicator", "organization")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=MeasureDivision.objects.select_related("division").order_by("order"),
            ),
            Prefetch(
                "progress",
                queryset=Progress.objects.filter(round__in=rounds),
                to_attr="round_progress",
            ),
        )
        .order_by("order")
    )


def notices(today: date | None = None) -> list[Notice]:
    """Every reminder due today, one Notice per person, kind and agency."""
    today = today or timezone.localdate()
    open_rounds = defaultdict(list)
    for round_ in (
        Round.objects.filter(is_open=True)
        .select_related("organization", "fiscal_year")
        .order_by("organization_id", "-fiscal_year__year", "kind")
    ):
        open_rounds[round_.organization].append(round_)
    people = reminded_people([o.pk for o in open_rounds])
    found: list[Notice] = []
    for organization, rounds in open_rounds.items():
        members = people.get(organization.pk, [])
        if not members:
            continue
        measures = _measures(organization, rounds)
        found += _organization_notices(organization, rounds, measures, members, today)
    return found


def _organization_notices(organization, rounds, measures, members, today) -> list[Notice]:
    by_person: dict[tuple, Notice] = {}

    def add(membership, kind, item):
        key = (membership.user.pk, kind)
        if key not in by_person:
            by_person[key] = Notice(membership.user, kind, organization)
        by_person[key].items.append(item)

    staff = [m for m in members if m.role == Role.STAFF]
    coordinators = [m for m in members if m.role == Role.COORDINATOR]
    executives = [m for m in members if m.role == Role.EXECUTIVE]
    for round_ in rounds:
        rows = []
        for measure in measures:
            if measure.fiscal_year_id != round_.fiscal_year_id:
                continue
            progress = next((p for p in measure.round_progress if p.round_id == round_.pk), None)
            if progress is not None:  # at hand: spare the rulebook a query per row
                progress.round, progress.measure = round_, measure
            rows.append((measure, progress))
        for measure, progress in rows:
            for membership, item in _staff_items(round_, measure, progress, staff, today):
                add(membership, Kind.LATE if ":late:" in item.key else Kind.DUE_SOON, item)
            for item in _review_items(round_, measure, progress, today):
                for membership in coordinators:
                    add(membership, Kind.REVIEW_WAITING, item)
        for item in _closing_items(round_, rows, today):
            for membership in coordinators:
                add(membership, Kind.ROUND_CLOSING, item)
        item = _summary_item(round_, rows, today)
        for membership in executives:
            add(membership, Kind.WEEKLY_SUMMARY, item)
    return list(by_person.values())


def _measure_title(measure: Measure, round_: Round) -> str:
    return f"มาตรการที่ {measure.order} {measure.target_label} ({round_})"


def _staff_items(round_, measure, progress, staff, today):
    """(membership, item) for each staff member who must report the measure."""
    if progress is not None and not progress.awaits_staff:
        return
    due = standing.due(measure, round_)
    on = min(due.on, round_.end)
    days_left = (on - today).days
    stage = _stage(days_left)
    if stage is None:
        return
    responsible = {d.pk for d in access.responsible_divisions(measure)}
    row = progress or Progress(measure=measure, round=round_)
    for membership in staff:
        mine = [d for d in membership.divisions.all() if d.pk in responsible]
        if not mine:
            continue
        user = membership.user
        if access.can_edit_progress(user, row):
            url = reverse("progress:progress", args=[measure.pk, round_.kind])
        else:
            parts = access.part_divisions(user, measure)
            if not parts or not access.can_edit_part(user, row, parts[0]):
                continue
            url = reverse("progress:part", args=[measure.pk, round_.kind, parts[0].pk])
        returned = progress is not None and progress.review_state == ReviewState.RETURNED
        note = f"กำหนด {thai.format_thai_date(on, abbr=True)} ({_when(days_left)})"
        if returned:
            note += " — ผู้ประสานงานส่งกลับให้แก้ไข"
        key = f"progress:{measure.pk}:{round_.pk}:{stage}"
        yield membership, Item(key, _measure_title(measure, round_), absolute(url), note)


def _review_items(round_, measure, progress, today):
    if progress is None or progress.review_state != ReviewState.SUBMITTED:
        return
    waited = (today - timezone.localdate(progress.updated_at)).days
    after = settings.ITA_REMINDER_REVIEW_AFTER_DAYS
    if waited < after:
        return
    week = (waited - after) // settings.ITA_REMINDER_LATE_EVERY_DAYS
    url = reverse("progress:detail", args=[measure.pk]) + f"#review-{round_.kind}"
    by = progress.updated_by
    note = f"ส่งตรวจเมื่อ {thai.format_thai_date(timezone.localdate(progress.updated_at), abbr=True)}"
    note += f" รอตรวจมาแล้ว {waited} วัน"
    if by is not None:
        note += f" (ส่งโดย {by.get_full_name() or by.username})"
    key = f"review:{progress.pk}:v{progress.version}:w{week}"
    yield Item(key, _measure_title(measure, round_), absolute(url), note)


def _closing_items(round_, rows, today):
    days_left = (round_.end - today).days
    stage = _stage(days_left)
    if stage is None or days_left < 0:
        return
    for measure, progress in rows:
        if standing.standing_of(progress) in (standing.Standing.DONE, standing.Standing.CANNOT):
            continue
        label = standing.Standing(standing.standing_of(progress)).label
        note = f"สิ้นสุดรอบ {thai.format_thai_date(round_.end, abbr=True)} ({_when(days_left)})"
        url = reverse("progress:detail", args=[measure.pk])
        key = f"round:{round_.pk}:m{measure.pk}:{stage}"
        yield Item(key, _measure_title(measure, round_), absolute(url), f"{label} — {note}")


def _summary_item(round_, rows, today) -> Item:
    counts = defaultdict(int)
    late = []
    for measure, progress in rows:
        counts[standing.standing_of(progress)] += 1
        if standing.late_days(progress, standing.due(measure, round_), today):
            late.append(f"มาตรการที่ {measure.order}")
    parts = [f"{s.label} {counts[s.value]}" for s in standing.Standing if counts[s.value]]
    note = f"ทั้งหมด {len(rows)} มาตรการ: " + (", ".join(parts) or "ยังไม่มีมาตรการ")
    if late:
        note += f"\n   เลยกำหนด {len(late)} มาตรการ: " + ", ".join(late)
    url = reverse(
        "oversight:dashboard",
        args=[round_.organization.slug, round_.fiscal_year.year, round_.kind],
    )
    year, week, _ = today.isocalendar()
    key = f"summary:{round_.pk}:{year}-W{week:02d}"
    return Item(key, f"{round_} ของ{round_.organization.name}", absolute(url), note)
