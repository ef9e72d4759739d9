"""Whole agencies in bulk, for the roll-up across agencies at national scale
(manage.py generate_agencies, scripts/bench_oversight.py) and load_seed's demo
agencies: realistic Thai names by province and kind, divisions, both rounds of a
fiscal year, measures shaped like the seed's, progress in realistic mixes."""

import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import transaction

from catalogue.models import FiscalYear, Indicator
from measures.models import Measure, MeasureDivision, Round, Step, StepItem
from organizations.models import District, Division, Organization, OrganizationKind, Province
from organizations.services import ensure_provinces
from organizations.services import province as province_named
from progress.models import Progress, ReviewState

BKK = ZoneInfo("Asia/Bangkok")


# Parts of Thai place names: "หนอง" + "บัว", "โนน" + "สูง"... as tambons are named.
PLACE_HEADS = (
    "หนอง", "โนน", "ดอน", "บ้าน", "นา", "ห้วย", "ท่า", "โคก", "บึง", "วัง", "ทุ่ง", "คลอง",
    "แม่", "ป่า", "หัว", "สระ", "เขา", "บาง", "ศรี", "กุด", "คำ", "โพธิ์", "ไผ่", "สร้าง",
)  # fmt: skip
PLACE_TAILS = (
    "บัว", "สูง", "ใหญ่", "ใหม่", "คำ", "ทราย", "ช้าง", "กลาง", "ไผ่", "น้ำเย็น", "แก้ว", "ดิน",
    "พลี", "สุข", "ขาม", "แดง", "ยาง", "ตาล", "เจริญ", "สว่าง", "ทอง", "งาม", "หิน", "ม่วง",
    "จาน", "สะอาด", "บุญ", "ชัย", "เหล็ก", "เตย",
)  # fmt: skip
DEPARTMENT_TOPICS = (
    "ส่งเสริมการเกษตร", "พัฒนาชุมชน", "ทรัพยากรน้ำ", "การค้าภายใน", "ส่งเสริมสหกรณ์",
    "ทางหลวงชนบท", "อนามัย", "ควบคุมโรค", "ปศุสัตว์", "ประมง", "พัฒนาฝีมือแรงงาน",
    "โยธาธิการและผังเมือง", "ส่งเสริมการปกครองท้องถิ่น", "การจัดหางาน", "ส่งเสริมวัฒนธรรม",
)  # fmt: skip
LOCAL_DIVISIONS = (
    "สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม",
    "กองสาธารณสุขและสิ่งแวดล้อม", "กองสวัสดิการสังคม", "หน่วยตรวจสอบภายใน",
)  # fmt: skip
CENTRAL_DIVISIONS = (
    "สำนักงานเลขานุการ", "กองการเจ้าหน้าที่", "กองคลัง", "กลุ่มตรวจสอบภายใน",
    "กลุ่มพัฒนาระบบบริหาร", "ศูนย์ปฏิบัติการต่อต้านการทุจริต", "กองแผนงาน",
)  # fmt: skip

# About how many agencies of each kind the ITA assesses (design/ITA.md): the mix
# generated agencies are drawn from.
KIND_WEIGHTS = {
    OrganizationKind.PAO: 76,
    OrganizationKind.CITY_MUNICIPALITY: 30,
    OrganizationKind.TOWN_MUNICIPALITY: 195,
    OrganizationKind.SUBDISTRICT_MUNICIPALITY: 2247,
    OrganizationKind.SAO: 5300,
    OrganizationKind.SPECIAL_LOCAL: 2,
    OrganizationKind.DEPARTMENT: 150,
    OrganizationKind.PROVINCE: 76,
    OrganizationKind.STATE_ENTERPRISE: 52,
    OrganizationKind.UNIVERSITY: 80,
    OrganizationKind.PUBLIC_ORGANIZATION: 60,
    OrganizationKind.INDEPENDENT: 12,
    OrganizationKind.COURT: 4,
    OrganizationKind.OTHER_STATE: 20,
}
LOCAL_KINDS = {
    OrganizationKind.PAO,
    OrganizationKind.CITY_MUNICIPALITY,
    OrganizationKind.TOWN_MUNICIPALITY,
    OrganizationKind.SUBDISTRICT_MUNICIPALITY,
    OrganizationKind.SAO,
    OrganizationKind.SPECIAL_LOCAL,
}

# How far agencies get, and the share of them: per measure, the chances of
# (done and approved, "cannot" approved, sent for review, in progress, a not-started
# row, no row at all), and the chance of publishing the round's report.
PROFILES = {
    "exemplary": (0.25, (0.85, 0.03, 0.10, 0.02, 0.0, 0.0), 0.9),
    "on_track": (0.35, (0.45, 0.02, 0.15, 0.28, 0.05, 0.05), 0.6),
    "behind": (0.25, (0.12, 0.01, 0.07, 0.35, 0.15, 0.30), 0.15),
    "silent": (0.15, (0.0, 0.0, 0.0, 0.0, 0.0, 1.0), 0.0),
    # Never drawn: for demo agencies that must show one thing (load_seed).
    "behind_published": (0.0, (0.3, 0.0, 0.1, 0.4, 0.1, 0.1), 1.0),
}
OUTCOMES = ("done", "cannot", "submitted", "in_progress", "not_started", None)
RESULT_TEXT = "ดำเนินการตามขั้นตอนของมาตรการและรายงานผลต่อผู้บริหารแล้ว"
IN_PROGRESS_TEXT = "อยู่ระหว่างดำเนินการตามขั้นตอนของมาตรการ"
CANNOT_REASON = "ไม่ได้รับการจัดสรรงบประมาณในปีงบประมาณนี้"


@dataclass
class GeneratedAgencies:
    organizations: list[Organization]
    # Rounds whose report the generated agency has published, with when.
    published: list[tuple[Round, datetime]]


@contextmanager
def _explicit_times(*fields):
    """Let bulk inserts keep the times given (last activity months ago), instead of
    auto_now / auto_now_add setting them to now. For generated data only."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _place(rng: random.Random) -> str:
    return rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)


def agency_name(rng: random.Random, kind: str, province: str) -> str:
    """A realistic Thai name of an agency of `kind` in `province`."""
    place = _place(rng)
    return {
        OrganizationKind.PAO: f"องค์การบริหารส่วนจังหวัด{province}",
        OrganizationKind.CITY_MUNICIPALITY: f"เทศบาลนคร{place}",
        OrganizationKind.TOWN_MUNICIPALITY: f"เทศบาลเมือง{place}",
        OrganizationKind.SUBDISTRICT_MUNICIPALITY: f"เทศบาลตำบล{place}",
        OrganizationKind.SAO: f"องค์การบริหารส่วนตำบล{place}",
        OrganizationKind.SPECIAL_LOCAL: f"เมือง{place}",
        OrganizationKind.DEPARTMENT: f"กรม{rng.choice(DEPARTMENT_TOPICS)}",
        OrganizationKind.PROVINCE: f"จังหวัด{province}",
        OrganizationKind.STATE_ENTERPRISE: f"องค์การตลาดเพื่อเกษตรกร สาขา{province}",
        OrganizationKind.UNIVERSITY: f"มหาวิทยาลัยราชภัฏ{province}",
        OrganizationKind.PUBLIC_ORGANIZATION: f"สถาบันพัฒนาองค์กรชุมชน สาขา{province}",
        OrganizationKind.INDEPENDENT: f"สำนักงานตรวจเงินแผ่นดินจังหวัด{province}",
        OrganizationKind.COURT: f"ศาลจังหวัด{province}",
        OrganizationKind.OTHER_STATE: f"สำนักงานกองทุนหมู่บ้าน สาขา{province}",
    }[kind]


def district_names(rng: random.Random, province: str, count: int = 6) -> list[str]:
    """The districts generated agencies are placed in: อำเภอเมือง and a few more."""
    if province == "กรุงเทพมหานคร":
        return [f"เขต{_place(rng)}" for _ in range(count)]
    return [f"อำเภอเมือง{province}"] + [f"อำเภอ{_place(rng)}" for _ in range(count - 1)]


def _seed_contents(catalogue: dict) -> list[tuple]:
    """The seed report's measures, as (indicator, target, monitoring, steps) to copy."""
    from demo.seed import _flatten_items, read_seed

    contents = []
    for m in read_seed()["measures"]:
        steps = [
            (s["text"], [(i.depth, i.marker, i.text) for i in _flatten_items(s.get("items", []))])
            for s in m["steps"]
        ]
        indicator = catalogue[(m["tool"], m["indicator"])]
        contents.append((indicator, m.get("target", ""), "\n".join(m["monitoring"]), steps))
    return contents


def _catalogue(fiscal_year: FiscalYear) -> dict:
    """The year's indicators by (tool, number); the seed's catalogue when it has none."""
    from demo.seed import _load_catalogue, read_seed

    indicators = Indicator.objects.filter(tool__fiscal_year=fiscal_year).select_related("tool")
    catalogue = {(i.tool.code, i.number): i for i in indicators}
    if not catalogue:
        catalogue = _load_catalogue(fiscal_year, read_seed()["catalogue"])
    return catalogue


def _districts(rng, provinces: list[Province]) -> dict[int, list[District]]:
    wanted = [
        District(province=p, name=name) for p in provinces for name in district_names(rng, p.name)
    ]
    District.objects.bulk_create(wanted, ignore_conflicts=True)
    found: dict[int, list[District]] = {}
    names = {(d.province_id, d.name) for d in wanted}
    for district in District.objects.filter(province__in=provinces):
        if (district.province_id, district.name) in names:
            found.setdefault(district.province_id, []).append(district)
    return found


def _outcome(rng: random.Random, chances) -> str | None:
    return rng.choices(OUTCOMES, weights=chances)[0]


def _moment(rng: random.Random, start: date, end: date) -> datetime:
    """A working-hours moment between two dates, in Bangkok."""
    days = max(0, (end - start).days)
    day = start + timedelta(days=rng.randint(0, days))
    return datetime(
        day.year, day.month, day.day, rng.randint(8, 16), rng.randint(0, 59), tzinfo=BKK
    )


def _progress(rng, measure, round_, outcome, today: date, so_far=False) -> Progress | None:
    if outcome is None:
        return None
    start = round_.fiscal_year.start
    latest = min(round_.end, today)
    if so_far and today <= round_.end:
        latest = max(start, today - timedelta(days=1))
        gone = (today - start).days / (round_.end - start).days
        if outcome in ("done", "submitted", "cannot") and rng.random() > gone:
            outcome = "in_progress"
    if outcome in ("done", "submitted") and latest <= start:
        outcome = "in_progress"
    status = {
        "done": Progress.Status.DONE,
        "submitted": Progress.Status.DONE,
        "cannot": Progress.Status.CANNOT,
        "in_progress": Progress.Status.IN_PROGRESS,
        "not_started": Progress.Status.NOT_STARTED,
    }[outcome]
    review = {
        "done": ReviewState.APPROVED,
        "cannot": ReviewState.APPROVED,
        "submitted": ReviewState.SUBMITTED,
    }.get(outcome, ReviewState.DRAFT)
    when = _moment(rng, min(start + timedelta(days=20), latest), latest)
    updated = when + timedelta(days=rng.randint(0, 6))
    if so_far and updated.date() >= today:
        updated = when  # nothing after yesterday
    return Progress(
        measure=measure,
        round=round_,
        status=status,
        completed_on=when.date() if status == Progress.Status.DONE else None,
        result_text=RESULT_TEXT if status == Progress.Status.DONE else IN_PROGRESS_TEXT,
        cannot_reason=CANNOT_REASON if status == Progress.Status.CANNOT else "",
        review_state=review,
        updated_at=updated,
    )


@dataclass
class _Setup:
    """What every batch of generate_agencies draws from."""

    year: FiscalYear
    contents: list[tuple]  # _seed_contents
    provinces: list[Province]
    districts: dict[int, list[District]]
    names: list[tuple[str, str, str, str]] | None
    kinds: list[str]
    kind_weights: list[float]
    measures_per_agency: int
    today: date
    # Progress as far as today has come (fill_year for load_seed's current year): in
    # a round still running, only the share of "done" the days gone make likely, and
    # none yet in the 12-month round while the 6-month round runs.
    so_far: bool = False


class _Plan(NamedTuple):
    """One agency to create."""

    kind: str
    name: str
    province: Province
    district: District | None
    profile: str


def generate_agencies(
    *,
    count: int,
    fiscal_year: int,
    seed: int = 0,
    measures_per_agency: int = 10,
    origin: str = Organization.Origin.GENERATED,
    provinces: list[Province] | None = None,
    kinds: list[str] | None = None,
    names: list[tuple[str, str, str, str]] | None = None,
    slug_prefix: str | None = None,
    batch_size: int = 400,
    today: date | None = None,
    progress_callback=None,
) -> GeneratedAgencies:
    """Create `count` agencies in bulk, each with divisions, both rounds of the year,
    measures shaped like the seed's (its real steps and sub-items, over and over),
    progress in a realistic mix (some agencies exemplary, some behind, some silent)
    and the rounds they published (GeneratedAgencies.published: the caller stores
    the publications, demo.generated). Marked with `origin`; the same `seed`
    gives the same agencies. `names` gives the agencies instead: (kind, name,
    district, profile), in `provinces` in turn.

    A few bulk inserts per batch of agencies, no history records (they were never
    edited), no per-row validation beyond the database's constraints."""
    rng = random.Random(seed)
    year, _ = FiscalYear.objects.get_or_create(year=fiscal_year)
    contents = _seed_contents(_catalogue(year))
    ensure_provinces()
    provinces = provinces or list(Province.objects.order_by("code"))
    kinds = kinds or list(KIND_WEIGHTS)
    setup = _Setup(
        year=year,
        contents=contents,
        provinces=provinces,
        districts=_districts(rng, provinces),
        names=names,
        kinds=kinds,
        kind_weights=[KIND_WEIGHTS.get(k, 1) for k in kinds],
        measures_per_agency=measures_per_agency,
        today=today or date.today(),
    )
    prefix = slug_prefix or f"gen{seed}-"
    start = Organization.objects.filter(slug__startswith=prefix).count()
    result = GeneratedAgencies([], [])
    for first in range(0, count, batch_size):
        size = min(batch_size, count - first)
        with transaction.atomic(), _explicit_times(Progress._meta.get_field("updated_at")):
            plans = [_plan(rng, setup, n) for n in range(first, first + size)]
            organizations = Organization.objects.bulk_create(
                _organization(rng, plan, f"{prefix}{start + n + 1:05d}", origin)
                for n, plan in enumerate(plans, first)
            )
            _fill_batch(rng, setup, organizations, plans, result)
            result.organizations += organizations
        if progress_callback:
            progress_callback(first + size)
    return result


def _plan(rng: random.Random, setup: _Setup, n: int) -> _Plan:
    """The `n`th agency: named (setup.names, in the provinces in turn) or drawn."""
    provinces = setup.provinces
    province = provinces[n % len(provinces)] if setup.names else rng.choice(provinces)
    profile = None
    if setup.names:
        kind, name, district_name, profile = setup.names[n % len(setup.names)]
        district = District.objects.get_or_create(province=province, name=district_name)[0]
    else:
        kind = rng.choices(setup.kinds, weights=setup.kind_weights)[0]
        name = agency_name(rng, kind, province.name)
        district = rng.choice(setup.districts[province.pk]) if kind in LOCAL_KINDS else None
    profiles = list(PROFILES)
    profile = profile or rng.choices(profiles, [PROFILES[p][0] for p in profiles])[0]
    return _Plan(kind, name, province, district, profile)


def _organization(rng: random.Random, plan: _Plan, slug: str, origin: str) -> Organization:
    return Organization(
        slug=slug,
        name=plan.name,
        location=(f"{plan.district.name} " if plan.district else "") + f"จังหวัด{plan.province.name}",
        kind=plan.kind,
        province=plan.province,
        district=plan.district,
        origin=origin,
        thai_digits=rng.random() < 0.7,
    )


def _fill_batch(rng, setup: _Setup, organizations, plans, result: GeneratedAgencies) -> None:
    """The batch's divisions, then its year (fill_year)."""
    by_org = _divisions_of(rng, organizations, plans)
    profile_of = {org.pk: plan.profile for org, plan in zip(organizations, plans, strict=True)}
    fill_year(rng, setup, organizations, by_org, profile_of, result)


def fill_year(rng, setup: _Setup, organizations, by_org, profile_of, result) -> None:
    """Rounds of setup.year for agencies that have their divisions (`by_org`, "all
    divisions" last), measures with their divisions and steps, progress as each
    agency's profile (`profile_of`) makes likely by setup.today, and publications (into
    `result`) of rounds ended by then; those rounds closed."""
    rounds = Round.objects.bulk_create(
        Round(organization=org, fiscal_year=setup.year, kind=kind, is_open=True)
        for org in organizations
        for kind in (Round.Kind.SIX_MONTHS, Round.Kind.TWELVE_MONTHS)
    )
    measures = _measures(rng, setup, organizations)
    _assign(rng, measures, by_org)
    rounds_of = {(r.organization_id, r.kind): r for r in rounds}
    Progress.objects.bulk_create(_progress_rows(rng, measures, rounds_of, profile_of, setup))
    closed = []
    for org in organizations:
        _, _, publish_chance = PROFILES[profile_of[org.pk]]
        for kind in (Round.Kind.SIX_MONTHS, Round.Kind.TWELVE_MONTHS):
            round_ = rounds_of[(org.pk, kind)]
            if round_.end < setup.today and rng.random() < publish_chance:
                when = _moment(
                    rng,
                    round_.end + timedelta(days=1),
                    min(setup.today, round_.end + timedelta(days=45)),
                )
                result.published.append((round_, when))
            if round_.end < setup.today:
                closed.append(round_.pk)
    Round.objects.filter(pk__in=closed).update(is_open=False)


def _divisions_of(rng, organizations, plans) -> dict[int, list[Division]]:
    """Some of the usual divisions of each agency's kind, and "all divisions" last."""
    divisions = []
    for org, plan in zip(organizations, plans, strict=True):
        names = LOCAL_DIVISIONS if plan.kind in LOCAL_KINDS else CENTRAL_DIVISIONS
        chosen = list(names[: rng.randint(4, len(names))])
        divisions += [Division(organization=org, name=d, order=k) for k, d in enumerate(chosen, 1)]
        divisions.append(
            Division(
                organization=org,
                name="ทุกส่วนราชการ",
                kind=Division.Kind.ALL,
                order=len(chosen) + 1,
            )
        )
    by_org: dict[int, list[Division]] = {}
    for d in Division.objects.bulk_create(divisions):
        by_org.setdefault(d.organization_id, []).append(d)
    return by_org


def _measures(rng, setup: _Setup, organizations) -> list[Measure]:
    """Each agency's measures, copied from the seed's in turn from a place drawn, with
    their steps and sub-items."""
    year = setup.year
    deadlines = [
        None,
        date(year.start.year, 12, 31),
        date(year.end.year, 3, 31),
        date(year.end.year, 6, 30),
        year.end,
    ]
    measures, shapes = [], []
    for org in organizations:
        offset = rng.randrange(len(setup.contents))
        for k in range(setup.measures_per_agency):
            indicator, target, monitoring, steps = setup.contents[
                (offset + k) % len(setup.contents)
            ]
            measures.append(
                Measure(
                    organization=org,
                    fiscal_year=year,
                    indicator=indicator,
                    target=target,
                    monitoring=monitoring,
                    deadline=rng.choice(deadlines),
                    order=k + 1,
                )
            )
            shapes.append(steps)
    measures = Measure.objects.bulk_create(measures)
    step_rows = Step.objects.bulk_create(
        Step(measure=m, number=k, text=text)
        for m, steps in zip(measures, shapes, strict=True)
        for k, (text, _) in enumerate(steps, 1)
    )
    items = [items for steps in shapes for _, items in steps]
    StepItem.objects.bulk_create(
        StepItem(step=step, order=order, depth=depth, marker=marker, text=text)
        for step, step_items in zip(step_rows, items, strict=True)
        for order, (depth, marker, text) in enumerate(step_items, 1)
    )
    return measures


def _assign(rng, measures: list[Measure], by_org: dict[int, list[Division]]) -> None:
    """One or two of the agency's divisions to each measure, sometimes "all" too."""
    assignments = []
    for m in measures:
        own = by_org[m.organization_id]
        regular, every = own[:-1], own[-1]
        chosen = rng.sample(regular, rng.randint(1, 2))
        if rng.random() < 0.3:
            chosen.append(every)
        assignments += [
            MeasureDivision(measure=m, division=d, order=k) for k, d in enumerate(chosen, 1)
        ]
    MeasureDivision.objects.bulk_create(assignments)


def _progress_rows(rng, measures, rounds_of, profile_of, setup: _Setup) -> list[Progress]:
    """Both rounds' progress of each measure, as its agency's profile makes likely."""
    rows, today = [], setup.today
    for m in measures:
        _, chances, _ = PROFILES[profile_of[m.organization_id]]
        six = rounds_of[(m.organization_id, Round.Kind.SIX_MONTHS)]
        twelve = rounds_of[(m.organization_id, Round.Kind.TWELVE_MONTHS)]
        first_outcome = _outcome(rng, chances)
        # By the 12-month round what was done stays done; the rest moves on.
        second_outcome = first_outcome if first_outcome == "done" else _outcome(rng, chances)
        for round_, outcome in ((six, first_outcome), (twelve, second_outcome)):
            if setup.so_far and round_ is twelve and today <= six.end:
                continue
            row = _progress(rng, m, round_, outcome, today, setup.so_far)
            if row is not None:
                rows.append(row)
    return rows


# load_seed's demo agencies beside the seed agency, so that the roll-up shows a living
# province: (kind, name, district, profile), by province.
K = OrganizationKind
DEMO_AGENCIES = {
    "อุบลราชธานี": [
        (K.CITY_MUNICIPALITY, "เทศบาลนครอุบลราชธานี", "อำเภอเมืองอุบลราชธานี", "exemplary"),
        (K.TOWN_MUNICIPALITY, "เทศบาลเมืองวารินชำราบ", "อำเภอวารินชำราบ", "behind_published"),
        (K.SUBDISTRICT_MUNICIPALITY, "เทศบาลตำบลเขื่องใน", "อำเภอเขื่องใน", "on_track"),
        (K.SAO, "องค์การบริหารส่วนตำบลขามใหญ่", "อำเภอเมืองอุบลราชธานี", "behind"),
        (K.SAO, "องค์การบริหารส่วนตำบลแสนสุข", "อำเภอวารินชำราบ", "silent"),
        (K.SAO, "องค์การบริหารส่วนตำบลโพธิ์ใหญ่", "อำเภอวารินชำราบ", "exemplary"),
    ],
    "ศรีสะเกษ": [
        (K.PAO, "องค์การบริหารส่วนจังหวัดศรีสะเกษ", "อำเภอเมืองศรีสะเกษ", "on_track"),
        (K.SAO, "องค์การบริหารส่วนตำบลหนองไผ่", "อำเภอเมืองศรีสะเกษ", "behind"),
    ],
}  # fmt: skip
DEMO_SLUG_PREFIX = "demo-"


def demo_agencies(fiscal_year: int) -> GeneratedAgencies:
    """The demo agencies, created once (marked Organization.Origin.DEMO); none the
    second time."""
    result = GeneratedAgencies([], [])
    if Organization.objects.filter(origin=Organization.Origin.DEMO).exists():
        return result
    for number, (province, names) in enumerate(DEMO_AGENCIES.items()):
        made = generate_agencies(
            count=len(names),
            fiscal_year=fiscal_year,
            seed=2566 + number,
            measures_per_agency=8,
            origin=Organization.Origin.DEMO,
            provinces=[province_named(province)],
            names=names,
            slug_prefix=f"{DEMO_SLUG_PREFIX}{number + 1}-",
        )
        result.organizations += made.organizations
        result.published += made.published
    return result
