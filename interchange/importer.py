"""Import a sheet of measures into one organization × fiscal year, all or nothing.

Rows are matched to existing measures by `identity` (indicator and own
wording, then position), so importing the same file twice does not duplicate.
Measures take the order of their rows; existing measures the file does not
mention are kept, after them.

A changed row updates the measure in place (fields, divisions, steps, and the
chosen round's progress when the result cell is filled), writing only what
changed; an unchanged row is not written, and an unchanged result keeps its
editor and review state.

An indicator in an agency's own words is read as `resolve` says; the
wordings the organization has not mapped yet are listed in
`ImportResult.unknown_wordings` for the coordinator to choose their indicators
(`wordings`), and a real import records those choices for the organization's
later imports (catalogue.record_wording).

Every row is checked first and again by the models' full_clean inside one
transaction; any error, or a dry run, rolls everything back, so the
preview reports exactly what the real import would do.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from catalogue import services as catalogue
from catalogue.models import FiscalYear, Indicator, wording_key
from interchange import shape
from interchange.identity import Plan, existing_measures, match, snapshot
from interchange.reading import MeasureRow, RowError, SheetData, read_sheet
from interchange.resolve import (
    CHOSEN,
    Catalogue,
    DivisionBook,
    UnknownWording,
    WordingMapping,
)
from interchange.tables import TableFileError, read_table
from measures import services
from measures.models import Measure, Round
from operations import bulk
from organizations import changes
from organizations import services as organization_services
from organizations.access import SYSTEM
from organizations.models import Division, Organization
from progress import services as progress

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTION_LABELS = {CREATE: "สร้างใหม่", UPDATE: "แก้ไข", UNCHANGED: "ไม่เปลี่ยนแปลง"}
FIELD_LABELS = {
    "order": "ลำดับ",
    "indicator": "ตัวชี้วัด",
    "target": "ถ้อยคำประเด็นที่ต้องปรับปรุง",
    "divisions": shape.COLUMNS[shape.DIVISIONS],
    "steps": shape.COLUMNS[shape.STEPS],
    "monitoring": shape.COLUMNS[shape.MONITORING],
    "deadline": shape.COLUMNS[shape.DEADLINE],
    "result": shape.COLUMNS[shape.RESULT],
}
MEASURE_FIELDS = {"order", "indicator", "target", "monitoring", "deadline"}
# Model fields whose errors belong to a column of the sheet.
FIELD_COLUMNS = {
    "indicator": shape.INDICATOR,
    "target": shape.INDICATOR,
    "monitoring": shape.MONITORING,
    "deadline": shape.DEADLINE,
    "division": shape.DIVISIONS,
    "number": shape.STEPS,
    "text": shape.STEPS,
    "marker": shape.STEPS,
    "depth": shape.STEPS,
    "status": shape.RESULT,
    "completed_on": shape.RESULT,
    "result_text": shape.RESULT,
    "cannot_reason": shape.RESULT,
}


def sheet_name(organization: Organization, year: int) -> str:
    """The worksheet of an organization × fiscal year (Excel allows 31 characters)."""
    return f"{organization.slug[:26]} {year}"


@dataclass
class RowOutcome:
    row: int
    action: str
    label: str
    changes: list[str] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class WordingQuestion:
    """An indicator wording of the sheet that the organization has not mapped:
    which indicator of `tool` does it mean? `choices` are the tool's indicators in
    the year; `suggested` the one other agencies chose most often, to confirm."""

    tool: str
    wording: str
    key: str
    rows: list[int]
    choices: list[Indicator]
    message: str
    suggested: Indicator | None = None

    @property
    def rows_text(self) -> str:
        return ", ".join(str(row) for row in self.rows)


@dataclass
class ImportResult:
    organization: Organization
    fiscal_year: FiscalYear
    round_kind: int
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_divisions: list[str] = field(default_factory=list)
    new_rounds: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    unknown_wordings: list[WordingQuestion] = field(default_factory=list)
    mapped: list[WordingMapping] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def summary(self) -> str:
        return " ".join(f"{ACTION_LABELS[a]} {self.count(a)}" for a in (CREATE, UPDATE, UNCHANGED))


def closed_round_message(round_: Round) -> str:
    return f"{round_} ปิดรับรายงานแล้ว จึงแก้ไขผลการดำเนินการไม่ได้ ให้เปิดรอบก่อนนำเข้า หรือเว้นคอลัมน์นี้ว่างไว้"


def _label(order: int, indicator, target: str) -> str:
    return f"มาตรการที่ {order} {indicator.tool.code} {target or indicator.name}"


def _messages(error: ValidationError, default_column: int | None) -> list[tuple[int | None, str]]:
    if not hasattr(error, "error_dict"):
        return [(default_column, message) for message in error.messages]
    found = []
    for name, errors in error.message_dict.items():
        column = FIELD_COLUMNS.get(name, default_column)
        found += [(column, message) for message in errors]
    return found


class _Importer:
    def __init__(
        self, result: ImportResult, *, user, create_divisions: bool, source_name: str, wordings
    ):
        self.result = result
        self.wordings = wordings
        # A command has no user: it acts as the system (organizations.access.SYSTEM).
        self.user = user or SYSTEM
        self.creates: list[Plan] = []
        self.create_divisions = create_divisions
        self.reason = f"นำเข้าจากไฟล์ {source_name}".strip()
        self.rounds = {
            r.kind: r
            for r in Round.objects.filter(
                organization=result.organization, fiscal_year=result.fiscal_year
            )
        }

    def error(self, row: int | None, column: int | None, message: str) -> None:
        heading = shape.COLUMNS[column] if column is not None else None
        self.result.errors.append(RowError(row, heading, message))

    def plan(self, rows: list[MeasureRow]) -> tuple[list[Plan], DivisionBook]:
        catalogue = Catalogue(
            self.result.fiscal_year, self.wordings, organization=self.result.organization
        )
        book = DivisionBook(self.result.organization, create=self.create_divisions)
        plans = []
        questions: dict[tuple[str, str], WordingQuestion] = {}
        for row in rows:
            indicator = target = divisions = None
            try:
                indicator, target = catalogue.resolve(row.indicator)
            except UnknownWording as unknown:
                self.error(row.row, shape.INDICATOR, str(unknown))
                question = questions.get((unknown.tool, unknown.key))
                if question is None:
                    question = questions[(unknown.tool, unknown.key)] = WordingQuestion(
                        unknown.tool,
                        unknown.wording,
                        unknown.key,
                        [],
                        catalogue.indicators_of(unknown.tool),
                        str(unknown),
                        unknown.suggested,
                    )
                question.rows.append(row.row)
            except shape.CellError as error:
                self.error(row.row, shape.INDICATOR, str(error))
            try:
                divisions = book.resolve(row.divisions_text)
            except shape.CellError as error:
                self.error(row.row, shape.DIVISIONS, str(error))
            if indicator and divisions:
                plans.append(Plan(row, indicator, target, divisions))
        self.result.unknown_wordings = list(questions.values())
        self.result.mapped = list(catalogue.mapped.values())
        return plans, book

    def record_choices(self) -> None:
        """The wordings the coordinator chose indicators for, kept for later imports."""
        for mapping in self.result.mapped:
            if mapping.how == CHOSEN:
                catalogue.record_wording(
                    user=self.user,
                    organization=self.result.organization,
                    indicator=mapping.indicator,
                    wording=mapping.wording,
                )

    def write(self, plans: list[Plan], book: DivisionBook, *, dry_run: bool) -> None:
        """The planned rows written in one transaction, rolled back after any error or
        for a dry run. The roll-up's summaries are marked once, at the end
        (oversight.summaries)."""
        result = self.result
        with transaction.atomic(), changes.collecting():
            existing = existing_measures(result.organization, result.fiscal_year, result.round_kind)
            kept = match(plans, existing)
            try:
                divisions = self.create_divisions_of(book)
            except ValidationError as error:
                result.errors += [
                    RowError(None, shape.COLUMNS[shape.DIVISIONS], m) for m in error.messages
                ]
                divisions = {}
            self.reorder(plans, kept)
            for plan in plans:
                self.apply(plan, divisions)
            self.create_all(divisions)
            if not result.errors:
                self.record_choices()
            if result.errors or dry_run:
                transaction.set_rollback(True)

    def create_divisions_of(self, book: DivisionBook) -> dict:
        organization = self.result.organization
        created = {}
        top = organization.divisions.aggregate(top=Max("order"))["top"] or 0
        for order, new in enumerate(book.new.values(), start=top + 1):
            division = organization_services.save_division(
                user=self.user,
                division=Division(
                    organization=organization, name=new.name, kind=new.kind, order=order
                ),
            )
            created[new] = division
            self.result.new_divisions.append(new.name)
        return created

    def round_for(self, kind: int) -> Round:
        if kind not in self.rounds:
            round_ = services.ensure_round(
                user=self.user,
                organization=self.result.organization,
                fiscal_year=self.result.fiscal_year,
                kind=kind,
            )
            self.rounds[kind] = round_
            self.result.new_rounds.append(str(round_))
        return self.rounds[kind]

    def reorder(self, plans: list[Plan], kept: list[Measure]) -> None:
        """Give rows the orders 1..n and kept measures the orders after them, moving
        the measures that change order out of the way first (orders are unique)."""
        for position, plan in enumerate(plans, start=1):
            plan.final_order = position
        finals = {plan.measure.pk: plan.final_order for plan in plans if plan.measure}
        finals |= {m.pk: order for order, m in enumerate(kept, start=len(plans) + 1)}
        olds = {m.pk: m.order for m in kept}
        services.reorder_measures(
            user=self.user, measures=[p.measure for p in plans if p.measure] + kept, orders=finals
        )
        for measure in kept:
            old = olds[measure.pk]
            label = _label(finals[measure.pk], measure.indicator, measure.target)
            self.result.kept.append(
                label + (f" (เดิมลำดับที่ {old})" if old != finals[measure.pk] else "")
            )

    def apply(self, plan: Plan, divisions: dict) -> None:
        row = plan.source
        before = snapshot(plan.measure) if plan.measure else None
        wanted = plan.wanted
        changed = [k for k in wanted if before is None or wanted[k] != before[k]]
        outcome = RowOutcome(
            row.row,
            CREATE if before is None else UPDATE if changed else UNCHANGED,
            _label(plan.final_order, plan.indicator, plan.target),
            [] if before is None else [FIELD_LABELS[k] for k in changed],
        )
        self.result.rows.append(outcome)
        if not changed:
            return
        if plan.measure is None:
            self.creates.append(plan)  # written together by create_all()
            return
        stage = None
        try:
            with transaction.atomic():
                measure = plan.measure
                if changed != ["result"]:
                    # What did not change is written back as it is stored: the file's
                    # reading of it (see identity.snapshot) may differ in what a cell
                    # cannot hold.
                    data = services.MeasureData(
                        indicator=plan.indicator,
                        target=plan.target if "target" in changed else measure.target,
                        monitoring=row.monitoring
                        if "monitoring" in changed
                        else measure.monitoring,
                        deadline=row.deadline,
                        order=plan.final_order,
                        divisions=(
                            [divisions.get(d, d) for d in plan.divisions]
                            if "divisions" in changed
                            else None
                        ),
                        steps=row.steps if "steps" in changed else None,
                    )
                    services.save_measure(
                        user=self.user, measure=measure, data=data, reason=self.reason
                    )
                stage = shape.RESULT
                if "result" in changed:
                    self.save_progress(measure, plan.measure, row.result)
        except ValidationError as error:
            for column, message in _messages(error, stage):
                self.error(row.row, column, message)
        except PermissionDenied as error:
            self.error(row.row, stage, str(error))

    def create_all(self, divisions: dict) -> None:
        """The new measures of the sheet, in a handful of bulk inserts, and the
        results of those that have one."""
        if not self.creates:
            return
        items = [
            services.MeasureData(
                indicator=plan.indicator,
                target=plan.target,
                monitoring=plan.source.monitoring,
                deadline=plan.source.deadline,
                order=plan.final_order,
                divisions=[divisions.get(d, d) for d in plan.divisions],
                steps=plan.source.steps,
            )
            for plan in self.creates
        ]
        try:
            created = services.create_measures(
                user=self.user,
                organization=self.result.organization,
                fiscal_year=self.result.fiscal_year,
                items=items,
                reason=self.reason,
            )
        except services.MeasuresInvalid as invalid:
            for index, error in invalid.errors:
                for column, message in _messages(error, None):
                    self.error(self.creates[index].source.row, column, message)
            return
        reported = [
            (plan.source.row, measure, plan.source.result)
            for plan, measure in zip(self.creates, created, strict=True)
            if plan.source.result
        ]
        if reported:
            self.create_results(reported)

    def create_results(self, reported: list) -> None:
        round_ = self.round_for(self.result.round_kind)
        if not round_.is_open:
            for row, _, _ in reported:
                self.error(row, shape.RESULT, closed_round_message(round_))
            return
        try:
            progress.record_first_results(
                round_=round_,
                user=self.user,
                entries=[
                    (
                        measure,
                        progress.ProgressInput(
                            status=data.status,
                            completed_on=data.completed_on,
                            result_text=data.result_text,
                            cannot_reason=data.cannot_reason,
                        ),
                    )
                    for _, measure, data in reported
                ],
                reason=self.reason,
            )
        except services.MeasuresInvalid as invalid:
            for index, error in invalid.errors:
                for column, message in _messages(error, shape.RESULT):
                    self.error(reported[index][0], column, message)
        except PermissionDenied as error:
            self.error(None, shape.RESULT, str(error))

    def save_progress(self, measure: Measure, existing: Measure | None, data) -> None:
        round_ = self.round_for(self.result.round_kind)
        if not round_.is_open:
            raise ValidationError(closed_round_message(round_))
        found = existing.round_progress[0] if existing and existing.round_progress else None
        try:
            progress.save_progress(
                measure=measure,
                round_=round_,
                user=self.user,
                data=progress.ProgressInput(
                    status=data.status,
                    completed_on=data.completed_on,
                    result_text=data.result_text,
                    cannot_reason=data.cannot_reason,
                ),
                seen_version=found.version if found else 0,
                reason=self.reason,
            )
        except progress.StaleEditError as error:
            raise ValidationError(
                "มีผู้แก้ไขผลการดำเนินการของมาตรการนี้ระหว่างนำเข้า กรุณาตรวจสอบแล้วนำเข้าอีกครั้ง"
            ) from error


def _error_order(error: RowError) -> tuple[int, int]:
    column = shape.COLUMNS.index(error.column) + 1 if error.column else 0
    return (error.row or 0, column)


def _check_titles(result: ImportResult, titles: list[str], rows: list[MeasureRow]) -> None:
    year = shape.title_year(titles)
    if year and year != result.fiscal_year.year:
        result.errors.append(
            RowError(
                None,
                None,
                f"ไฟล์นี้เป็นของปีงบประมาณ พ.ศ. {year} "
                f"แต่เลือกนำเข้าในปีงบประมาณ พ.ศ. {result.fiscal_year.year}",
            )
        )
    kind = shape.title_round(titles)
    if kind and kind != result.round_kind and any(row.result for row in rows):
        result.errors.append(
            RowError(
                None,
                None,
                f"ผลการดำเนินการในไฟล์นี้เป็นของรอบ {kind} เดือน "
                f"แต่เลือกนำเข้าเป็นรอบ {result.round_kind} เดือน",
            )
        )


def parse_sheet(content: bytes, organization: Organization, fiscal_year: FiscalYear) -> SheetData:
    """The measure rows of an XLSX or CSV file (a file it cannot read gives a
    SheetData holding only that error)."""
    try:
        table = read_table(content, sheet_name=sheet_name(organization, fiscal_year.year))
    except TableFileError as error:
        return SheetData(errors=[RowError(None, None, str(error))])
    return read_sheet(table)


def import_measures(
    *,
    content: bytes = b"",
    sheet: SheetData | None = None,
    organization: Organization,
    fiscal_year: FiscalYear,
    round_kind: int | None = None,
    create_divisions: bool = False,
    dry_run: bool = False,
    user=None,
    source_name: str = "",
    wordings: dict[tuple[str, str], str] | None = None,
) -> ImportResult:
    """Read `content` (XLSX or CSV bytes), or a `sheet` parse_sheet() read before,
    into the organization's measures of the fiscal year. `round_kind` (6 or 12)
    is the round the result column reports; by default the one the file's title
    names, else 6. `wordings` maps (tool code, indicator wording) to the
    indicator number the coordinator chose for it."""
    result = ImportResult(organization, fiscal_year, round_kind or 6, dry_run)
    # (tool code, wording key) → indicator number; keys as models.wording_key makes them.
    wordings = {(tool.upper(), wording_key(w)): n for (tool, w), n in (wordings or {}).items()}
    if sheet is None:
        sheet = parse_sheet(content, organization, fiscal_year)
    result.errors += sheet.errors
    if not sheet.rows and sheet.errors:
        return result
    if round_kind is None:
        result.round_kind = shape.title_round(sheet.titles) or Round.Kind.SIX_MONTHS
    _check_titles(result, sheet.titles, sheet.rows)
    importer = _Importer(
        result,
        user=user,
        create_divisions=create_divisions,
        source_name=source_name,
        wordings=wordings,
    )
    plans, book = importer.plan([row for row in sheet.rows if row.indicator])
    if result.errors:
        result.errors.sort(key=_error_order)
        return result
    importer.write(plans, book, dry_run=dry_run)
    result.errors.sort(key=_error_order)
    if not dry_run and result.ok and len(result.rows) >= bulk.LARGE_LOAD_ROWS:
        # Statistics for the next reads' plans, once the rows are committed.
        transaction.on_commit(bulk.analyze_after_bulk_load)
    return result
