"""Writing an agency's ITA result: one agency through the coordinator's form
(`save_result`), many agencies from the assessment's published sheet
(`import_results`, all or nothing). Both read scores the one way (`read_score`),
ask the rulebook (organizations.access) and keep history (django-simple-history);
a save that changes no value writes nothing, so an import of the same file
again changes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from catalogue.models import FiscalYear
from organizations import access
from organizations.models import Organization
from results.models import PASS_MARK, IndicatorScore, ITAResult, weak_numbers
from results.scores import (
    Entry,
    ScoreError,
    catalogue_indicators,
    indicator_label,
    read_grade,
    read_score,
)
from results.sheet import read_sheet

FORM_REASON = "บันทึกผลการประเมินในแบบฟอร์ม"
IMPORT_REASON = "นำเข้าผลการประเมินจากไฟล์"


@dataclass
class Plan:
    """What writing a set of entries does: new results, changed ones, unchanged."""

    created: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)

    def action(self, entry: Entry) -> str:
        """By identity, in constant time (a preview asks it of 8,300 rows)."""
        if not hasattr(self, "_actions"):
            self._actions = {id(e): "เพิ่มใหม่" for e in self.created}
            self._actions.update({id(e): "แก้ไข" for e in self.changed})
        return self._actions.get(id(entry), "ไม่เปลี่ยนแปลง")


def _existing(fiscal_year: FiscalYear, organization_ids) -> dict[int, ITAResult]:
    """The year's results of these agencies with their scores: two queries."""
    found = ITAResult.objects.filter(
        fiscal_year=fiscal_year, organization_id__in=list(organization_ids)
    ).prefetch_related("scores")
    return {r.organization_id: r for r in found}


def _differs(result: ITAResult, entry: Entry) -> bool:
    values = entry.values(result)
    if any(getattr(result, name) != value for name, value in values.items()):
        return True
    return {s.indicator_id: s.score for s in result.scores.all()} != entry.scores


def plan(fiscal_year: FiscalYear, entries: list[Entry]) -> Plan:
    existing = _existing(fiscal_year, (e.organization.pk for e in entries))
    outcome = Plan()
    for entry in entries:
        result = existing.get(entry.organization.pk)
        if result is None:
            outcome.created.append(entry)
        elif _differs(result, entry):
            outcome.changed.append(entry)
        else:
            outcome.unchanged.append(entry)
    return outcome


def _write(
    *, user, fiscal_year: FiscalYear, entries: list[Entry], source: str, reason: str
) -> Plan:
    """Create and update the entries' results and scores in bulk, with history;
    entries that change nothing are not written."""
    outcome = plan(fiscal_year, entries)
    existing = _existing(fiscal_year, (e.organization.pk for e in outcome.changed))
    now, editor = timezone.now(), access.recorded_user(user)
    stamp = {"source": source, "entered_by": editor, "entered_at": now}
    numbers = [(i.pk, i.number) for i in catalogue_indicators(fiscal_year)]

    def weak(entry: Entry, values: dict) -> str:
        scores = {number: entry.scores[pk] for pk, number in numbers if pk in entry.scores}
        return weak_numbers(scores, values["target"])

    new = []
    for e in outcome.created:
        values = e.values(None)
        new.append(
            ITAResult(
                organization=e.organization,
                fiscal_year=fiscal_year,
                **values,
                weak_numbers=weak(e, values),
                **stamp,
            )
        )
    history = {"default_user": editor, "default_change_reason": reason, "default_date": now}
    created = bulk_create_with_history(new, ITAResult, **history)
    by_org = {r.organization_id: r for r in created}
    new_scores = [
        IndicatorScore(result=by_org[e.organization.pk], indicator_id=pk, score=score)
        for e in outcome.created
        for pk, score in e.scores.items()
    ]
    changed_results, changed_scores = [], []
    for entry in outcome.changed:
        result = existing[entry.organization.pk]
        values = entry.values(result)
        for name, value in {**values, "weak_numbers": weak(entry, values), **stamp}.items():
            setattr(result, name, value)
        changed_results.append(result)
        held = {s.indicator_id: s for s in result.scores.all()}
        for pk, score in entry.scores.items():
            if pk not in held:
                new_scores.append(IndicatorScore(result=result, indicator_id=pk, score=score))
            elif held[pk].score != score:
                held[pk].score = score
                changed_scores.append(held[pk])
    fields = ["total", "grade", "grade_derived", "target", "weak_numbers", "source"]
    fields += ["entered_by", "entered_at"]
    if changed_results:
        bulk_update_with_history(changed_results, ITAResult, fields, **history)
    if changed_scores:
        bulk_update_with_history(changed_scores, IndicatorScore, ["score"], **history)
    bulk_create_with_history(new_scores, IndicatorScore, **history)
    return outcome


# --- One agency: the coordinator's form ---------------------------------------------------


def _read_fields(indicators, scores: Mapping, total, grade, target) -> tuple[Entry, dict]:
    """The form's values read; errors keyed by the form's field names, each naming
    its field in Thai."""
    errors: dict[str, str] = {}
    read: dict[int, Decimal] = {}
    for indicator in indicators:
        try:
            read[indicator.pk] = read_score(scores.get(indicator.pk))
        except ScoreError as error:
            errors[f"score_{indicator.pk}"] = f"{indicator_label(indicator)}: {error}"
    values = {}
    for name, label, value in (("total", "คะแนนรวม", total), ("target", "ค่าเป้าหมาย", target)):
        try:
            values[name] = read_score(value)
        except ScoreError as error:
            errors[name] = f"{label}: {error}"
    try:
        values["grade"] = read_grade(grade)
    except ScoreError as error:
        errors["grade"] = f"ระดับผลการประเมิน: {error}"
    entry = Entry(None, values.get("total"), values.get("grade", ""), read, values.get("target"))
    return entry, errors


def save_result(
    *,
    user,
    organization: Organization,
    fiscal_year: FiscalYear,
    scores: Mapping,
    total,
    grade="",
    target=PASS_MARK,
) -> ITAResult:
    """Enter or correct one agency's result of `fiscal_year`: `scores` maps each of
    the year's indicators (pk) to its score as typed. Raises PermissionDenied
    unless the rulebook lets the user enter it, ValidationError keyed by field
    (score_<indicator pk>, total, grade, target) naming each field in Thai."""
    if not access.may_enter_result(user, organization):
        raise PermissionDenied("บทบาทของคุณไม่มีสิทธิ์บันทึกผลการประเมินของหน่วยงานนี้")
    indicators = catalogue_indicators(fiscal_year)
    if not indicators:
        raise ValidationError(f"ปีงบประมาณ {fiscal_year.year} ยังไม่มีตัวชี้วัดในเกณฑ์การประเมิน")
    entry, errors = _read_fields(indicators, scores, total, grade, target)
    if errors:
        raise ValidationError(errors)
    entry.organization = organization
    with transaction.atomic():
        _write(
            user=user,
            fiscal_year=fiscal_year,
            entries=[entry],
            source=ITAResult.Source.FORM,
            reason=FORM_REASON,
        )
    return ITAResult.objects.get(organization=organization, fiscal_year=fiscal_year)


# --- Many agencies: the assessment's sheet --------------------------------------------------


class ImportRefused(ValueError):
    """The sheet has problems; nothing was written. `problems` are Thai lines,
    each naming its row and column."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def import_results(*, user, fiscal_year: FiscalYear, content: bytes, dry_run: bool = False):
    """Import the results of many agencies from an XLSX or CSV sheet (results.sheet
    says its shape). All or nothing: any bad row refuses the whole file
    (ImportRefused); a dry run checks and plans without writing. Returns the
    read sheet and its Plan."""
    if not access.may_import_results(user):
        raise PermissionDenied("นำเข้าผลการประเมินได้เฉพาะผู้ดูแลระบบและผู้กำกับติดตามทุกหน่วยงาน")
    sheet = read_sheet(content, fiscal_year, access.importable_organizations(user))
    if sheet.problems:
        raise ImportRefused(sheet.problems)
    entries = [row.entry for row in sheet.rows]
    if dry_run:
        return sheet, plan(fiscal_year, entries)
    with transaction.atomic():
        outcome = _write(
            user=user,
            fiscal_year=fiscal_year,
            entries=entries,
            source=ITAResult.Source.IMPORT,
            reason=IMPORT_REASON,
        )
    return sheet, outcome
