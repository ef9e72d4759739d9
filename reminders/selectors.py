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

Staff, executive and review reminders concern the rounds people work on: those of
the current fiscal year (or a later one) and those whose period ended at most
ITA_REMINDER_STALE_DAYS days ago. An open round older than that (a 2566 round
never closed) nags nobody; its coordinators are reminded to close it instead,
once a week at most.

The numbers and dates the portal writes (measure numbers, dates, day counts, the
round's year) follow the agency's digit setting (Organization.thai_digits, the one
its report uses); text people typed (a measure's wording, a name) stays as typed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from measures.models import Measure, MeasureDivision, Round
from organizations import access
from organizations.models import Membership, Organization
from progress import standing
from progress.models import Progress, ReviewState
from reminders.checks import stale_days
from reminders.models import Kind
from thai import conventions as thai

Role = Membership.Role
# A stale round's coordinator is reminded at most this often.
STALE_EVERY_DAYS = 7


@dataclass
class Item:
    key: str  # SentReminder.subject_key: the thing and the stage it is at
    title: str
    url: str
    note: str = ""  # lines separated by "\n"

    @property
    def lines(self) -> list[str]:
        return self.note.splitlines()


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


def number(n: int, digits: bool) -> str:
    """A count the portal writes, in the agency's digits ("1,345" or "๑,๓๔๕")."""
    return thai.format_thai_number(n, digits)


def day(d: date, digits: bool) -> str:
    return thai.format_thai_date(d, abbr=True, thai_digits=digits)


def round_label(round_: Round, digits: bool) -> str:
    """ "รอบ 12 เดือน ปีงบประมาณ พ.ศ. 2566": all of it the portal's wording."""
    return thai.localize_digits(str(round_), digits)


def _when(days_left: int, digits: bool) -> str:
    if days_left < 0:
        return f"เลยกำหนดมาแล้ว {number(-days_left, digits)} วัน"
    return "ครบกำหนดวันนี้" if days_left == 0 else f"อีก {number(days_left, digits)} วัน"


def worked_on(round_: Round, today: date) -> bool:
    """Whether people still work on this round: it is of the current fiscal year (or
    a later one), or its period ended at most ITA_REMINDER_STALE_DAYS days ago."""
    if round_.fiscal_year.year >= thai.fiscal_year_of(today):
        return True
    return (today - round_.end).days <= stale_days()


def stale_since(round_: Round) -> date:
    """The first day `worked_on` says no: past the stale days and the fiscal year."""
    return max(
        round_.end + timedelta(days=stale_days() + 1),
        round_.fiscal_year.end + timedelta(days=1),
    )


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
    digits = organization.thai_digits

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
        if not worked_on(round_, today):
            item = _stale_item(round_, rows, today, digits)
            for membership in coordinators:
                add(membership, Kind.STALE_ROUND, item)
            continue
        for measure, progress in rows:
            for membership, item in _staff_items(round_, measure, progress, staff, today, digits):
                add(membership, Kind.LATE if ":late:" in item.key else Kind.DUE_SOON, item)
            for item in _review_items(round_, measure, progress, today, digits):
                for membership in coordinators:
                    add(membership, Kind.REVIEW_WAITING, item)
        for item in _closing_items(round_, rows, today, digits):
            for membership in coordinators:
                add(membership, Kind.ROUND_CLOSING, item)
        item = _summary_item(round_, rows, today, digits)
        for membership in executives:
            add(membership, Kind.WEEKLY_SUMMARY, item)
    return list(by_person.values())


def _measure_title(measure: Measure, round_: Round, digits: bool) -> str:
    # The number and the round are the portal's; the wording is as typed.
    order = number(measure.order, digits)
    return f"มาตรการที่ {order} {measure.target_label} ({round_label(round_, digits)})"


def _staff_items(round_, measure, progress, staff, today, digits):
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
        note = f"กำหนด {day(on, digits)} ({_when(days_left, digits)})"
        if returned:
            note += " — ผู้ประสานงานส่งกลับให้แก้ไข"
        key = f"progress:{measure.pk}:{round_.pk}:{stage}"
        title = _measure_title(measure, round_, digits)
        yield membership, Item(key, title, absolute(url), note)


def _review_items(round_, measure, progress, today, digits):
    if progress is None or progress.review_state != ReviewState.SUBMITTED:
        return
    sent_on = timezone.localdate(progress.updated_at)
    waited = (today - sent_on).days
    after = settings.ITA_REMINDER_REVIEW_AFTER_DAYS
    if waited < after:
        return
    week = (waited - after) // settings.ITA_REMINDER_LATE_EVERY_DAYS
    url = reverse("progress:detail", args=[measure.pk]) + f"#review-{round_.kind}"
    by = progress.updated_by
    note = f"ส่งตรวจเมื่อ {day(sent_on, digits)} รอตรวจมาแล้ว {number(waited, digits)} วัน"
    if by is not None:
        note += f" (ส่งโดย {by.get_full_name() or by.username})"
    key = f"review:{progress.pk}:v{progress.version}:w{week}"
    yield Item(key, _measure_title(measure, round_, digits), absolute(url), note)


def _closing_items(round_, rows, today, digits):
    days_left = (round_.end - today).days
    stage = _stage(days_left)
    if stage is None or days_left < 0:
        return
    for measure, progress in rows:
        if standing.standing_of(progress) in (standing.Standing.DONE, standing.Standing.CANNOT):
            continue
        label = standing.Standing(standing.standing_of(progress)).label
        note = f"สิ้นสุดรอบ {day(round_.end, digits)} ({_when(days_left, digits)})"
        url = reverse("progress:detail", args=[measure.pk])
        key = f"round:{round_.pk}:m{measure.pk}:{stage}"
        title = _measure_title(measure, round_, digits)
        yield Item(key, title, absolute(url), f"{label} — {note}")


def _counts(rows, digits) -> str:
    """ "ทั้งหมด 8 มาตรการ: ยังไม่ดำเนินการ 6, รอตรวจ 2": where the round's measures stand."""
    counts = defaultdict(int)
    for _measure, progress in rows:
        counts[standing.standing_of(progress)] += 1
    parts = [
        f"{s.label} {number(counts[s.value], digits)}" for s in standing.Standing if counts[s.value]
    ]
    return f"ทั้งหมด {number(len(rows), digits)} มาตรการ: " + (", ".join(parts) or "ยังไม่มีมาตรการ")


def _summary_item(round_, rows, today, digits) -> Item:
    late = [
        f"มาตรการที่ {number(measure.order, digits)}"
        for measure, progress in rows
        if standing.late_days(progress, standing.due(measure, round_), today)
    ]
    note = _counts(rows, digits)
    if late:
        note += f"\nเลยกำหนด {number(len(late), digits)} มาตรการ: " + ", ".join(late)
    url = reverse(
        "oversight:dashboard",
        args=[round_.organization.slug, round_.fiscal_year.year, round_.kind],
    )
    year, week, _ = today.isocalendar()
    key = f"summary:{round_.pk}:{year}-W{week:02d}"
    title = f"{round_label(round_, digits)} ของ{round_.organization.name}"
    return Item(key, title, absolute(url), note)


def _stale_item(round_, rows, today, digits) -> Item:
    """The coordinator's reminder to close a round nobody works on any more; its link
    opens the confirmation page, which says what still waits for review."""
    every = max(STALE_EVERY_DAYS, settings.ITA_REMINDER_LATE_EVERY_DAYS)
    week = (today - stale_since(round_)).days // every
    ended = (today - round_.end).days
    note = (
        f"สิ้นสุดรอบเมื่อ {day(round_.end, digits)} (ผ่านมาแล้ว {number(ended, digits)} วัน) "
        "แต่ยังเปิดอยู่\n" + _counts(rows, digits)
    )
    url = reverse("progress:round_open", args=[round_.pk]) + "?open=0"
    key = f"stale:{round_.pk}:w{week}"
    return Item(key, round_label(round_, digits), absolute(url), note)
