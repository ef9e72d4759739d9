"""Names in a sheet resolved against the database: the fiscal year's catalogue
of tools and indicators, and the organization's divisions.

An indicator written in words that are not its catalogue name (an agency's
own wording, without "(ตัวชี้วัดที่ N)") is read as the indicator that wording
is known to mean for this organization, first found of:
1. the choice made for this import (the admin preview's select, `--map`);
2. a variant the catalogue names for the tool and year (installation-wide, the
   superuser's; models.IndicatorWording without an organization);
3. this organization's own choice in an earlier import;
4. this organization's own measures of that year in those words, when they
   all target the same indicator.
Otherwise the row is refused and the wording is asked about, so that the
coordinator chooses its indicator; the question carries the indicator other
agencies chose most often, as a suggestion to confirm (no agency named, no
count). Nothing other agencies did decides, and the row's message is the same
whatever they did. A tool the year does not have is always refused.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from catalogue import services as catalogue_services
from catalogue.models import AssessmentTool, FiscalYear, Indicator, IndicatorWording, wording_key
from interchange import shape
from measures.models import Measure
from organizations.models import Division, Organization

CHOSEN, RECORDED, CATALOGUE, MEASURES = "chosen", "recorded", "catalogue", "measures"
HOW_LABELS = {
    CHOSEN: "เลือกไว้สำหรับการนำเข้านี้",
    RECORDED: "หน่วยงานนี้เคยเลือกไว้เมื่อนำเข้าครั้งก่อน",
    CATALOGUE: "ถ้อยคำอื่นของตัวชี้วัดนี้ในเกณฑ์การประเมิน",
    MEASURES: "มาตรการของหน่วยงานนี้ใช้ถ้อยคำนี้กับตัวชี้วัดนี้แล้ว",
}


class UnknownWording(shape.CellError):
    """An indicator wording this organization has not mapped yet; the coordinator
    may choose. `suggested`: the indicator other agencies chose most often, or None."""

    def __init__(self, message: str, tool: str, wording: str, suggested=None):
        super().__init__(message)
        self.tool = tool
        self.wording = wording
        self.key = wording_key(wording)
        self.suggested: Indicator | None = suggested


@dataclass(frozen=True)
class WordingMapping:
    """A wording read as an indicator other than by its name, and on what ground."""

    tool: str
    wording: str
    indicator: Indicator
    how: str

    def __str__(self) -> str:
        return (
            f"“{self.wording}” ({self.tool}) อ่านเป็นตัวชี้วัดที่ {self.indicator.number} "
            f"{self.indicator.name}: {HOW_LABELS[self.how]}"
        )


class Catalogue:
    """The tools and indicators of one fiscal year."""

    def __init__(
        self,
        fiscal_year: FiscalYear,
        chosen: Mapping[tuple[str, str], str] | None = None,
        *,
        organization: Organization,
    ):
        self.fiscal_year = fiscal_year
        self.organization = organization
        # (tool code, wording key) → indicator number, chosen for this import.
        self.chosen = {
            (code.upper(), key): number for (code, key), number in (chosen or {}).items()
        }
        self.mapped: dict[tuple[str, str], WordingMapping] = {}
        self._recorded: dict[tuple[str, str], tuple[Indicator, str]] | None = None
        self._own_measures: dict[tuple[str, str], list[int]] | None = None
        self._suggested: dict[tuple[str, str], Indicator | None] = {}
        self.tools = {
            tool.code.upper(): tool
            for tool in AssessmentTool.objects.filter(fiscal_year=fiscal_year)
        }
        self.by_number: dict[tuple[str, str], Indicator] = {}
        self.by_name: dict[tuple[str, str], list[Indicator]] = defaultdict(list)
        for indicator in Indicator.objects.filter(tool__fiscal_year=fiscal_year).select_related(
            "tool"
        ):
            code = indicator.tool.code.upper()
            self.by_number[(code, indicator.number)] = indicator
            self.by_name[(code, shape.name_key(indicator.name))].append(indicator)

    def indicators_of(self, code: str) -> list[Indicator]:
        return [i for (c, _), i in self.by_number.items() if c == code]

    def recorded(self) -> dict[tuple[str, str], tuple[Indicator, str]]:
        """The wordings that decide for this organization in the year (the
        catalogue's variants, its own earlier choices): (code, key) → (indicator, source)."""
        if self._recorded is None:
            by_pk = {i.pk: i for i in self.by_number.values()}
            self._recorded = {
                place: (by_pk[row.indicator_id], row.source)
                for place, row in catalogue_services.wording_readings(
                    self.fiscal_year, self.organization
                ).items()
                if row.indicator_id in by_pk
            }
        return self._recorded

    def in_own_measures(self, code: str, wording: str) -> list[int]:
        """The indicators that this organization's measures of the year whose own
        wording this is target (other organizations' measures are theirs)."""
        if self._own_measures is None:
            self._own_measures = defaultdict(list)
            rows = (
                Measure.objects.filter(organization=self.organization, fiscal_year=self.fiscal_year)
                .exclude(target="")
                .values_list("indicator__tool__code", "target", "indicator_id")
            )
            for tool, target, indicator_id in rows:
                found = self._own_measures[(tool.upper(), wording_key(target))]
                if indicator_id not in found:
                    found.append(indicator_id)
        return sorted(self._own_measures.get((code, wording_key(wording)), []))

    def _by_wording(self, code: str, wording: str) -> tuple[Indicator | None, str, list[int]]:
        """(indicator, how, the indicators found when they disagree) for a wording."""
        key = (code, wording_key(wording))
        if key in self.chosen:
            number = self.chosen[key]
            indicator = self.by_number.get((code, number))
            if indicator is None:
                raise shape.CellError(
                    f"ตัวชี้วัดที่เลือกไว้สำหรับ “{wording}” (ตัวชี้วัดที่ {number}) "
                    f"ไม่มีในเครื่องมือ {code} ปีงบประมาณ พ.ศ. {self.fiscal_year.year}"
                )
            return indicator, CHOSEN, []
        if key in self.recorded():
            indicator, source = self.recorded()[key]
            return (
                indicator,
                CATALOGUE if source == IndicatorWording.Source.CATALOGUE else RECORDED,
                [],
            )
        found = self.in_own_measures(code, wording)
        if len(found) == 1:
            by_pk = {i.pk: i for i in self.by_number.values()}
            return by_pk[found[0]], MEASURES, []
        return None, "", found

    def suggestion(self, code: str, wording: str) -> Indicator | None:
        """What other agencies' coordinators chose for the wording, as a suggestion."""
        place = (code, wording_key(wording))
        if place not in self._suggested:
            suggested = catalogue_services.suggested_readings(
                self.fiscal_year, self.organization, [place]
            )
            self._suggested[place] = suggested.get(place)
        return self._suggested[place]

    def name_is_ambiguous(self, indicator: Indicator) -> bool:
        return len(self.by_name[(indicator.tool.code.upper(), shape.name_key(indicator.name))]) > 1

    def resolve(self, ref: shape.IndicatorRef) -> tuple[Indicator, str]:
        """The indicator and the measure's own wording ("" when it is the indicator's name)."""
        year = self.fiscal_year.year
        if ref.tool not in self.tools:
            known = ", ".join(self.tools) or "ยังไม่มีเครื่องมือในปีนี้"
            raise shape.CellError(
                f"ไม่พบเครื่องมือการประเมิน “{ref.tool}” ในปีงบประมาณ พ.ศ. {year} (มี {known})"
            )
        if ref.number:
            indicator = self.by_number.get((ref.tool, ref.number))
            if indicator is None:
                numbers = ", ".join(n for code, n in self.by_number if code == ref.tool)
                raise shape.CellError(
                    f"ไม่พบตัวชี้วัดที่ {ref.number} ของเครื่องมือ {ref.tool} "
                    f"ในปีงบประมาณ พ.ศ. {year} (มีตัวชี้วัดที่ {numbers})"
                )
            same_name = shape.name_key(ref.wording) == shape.name_key(indicator.name)
            own = ref.own_wording or not (same_name or not ref.wording)
            return indicator, ref.wording if own else ""
        found = self.by_name.get((ref.tool, shape.name_key(ref.wording)), [])
        if len(found) == 1:
            return found[0], ""
        if found:
            numbers = " หรือ ".join(f"“ตัวชี้วัดที่ {i.number} {i.name}”" for i in found)
            raise shape.CellError(f"ชื่อตัวชี้วัด “{ref.wording}” ซ้ำกันหลายข้อ ให้ระบุเลข เช่น {numbers}")
        indicator, how, disagreeing = self._by_wording(ref.tool, ref.wording)
        if indicator is not None:
            self.mapped.setdefault(
                (ref.tool, wording_key(ref.wording)),
                WordingMapping(ref.tool, ref.wording, indicator, how),
            )
            return indicator, ref.wording
        example = (self.indicators_of(ref.tool) or [None])[-1]
        number = example.number if example else "1"
        if disagreeing:
            numbers = ", ".join(
                i.number for i in self.by_number.values() if i.pk in set(disagreeing)
            )
            why = f"มาตรการของหน่วยงานนี้ใช้ถ้อยคำนี้กับหลายตัวชี้วัด (ตัวชี้วัดที่ {numbers})"
        else:
            why = "และหน่วยงานนี้ยังไม่เคยจับคู่ถ้อยคำนี้กับตัวชี้วัดใด"
        raise UnknownWording(
            f"ไม่พบตัวชี้วัด “{ref.wording}” ของเครื่องมือ {ref.tool} ในปีงบประมาณ พ.ศ. {year} "
            f"{why} กรุณาเลือกตัวชี้วัดของถ้อยคำนี้ หรือระบุเลขตัวชี้วัดในวงเล็บ เช่น "
            f"“ตัวชี้วัด{ref.wording} (ตัวชี้วัดที่ {number})”",
            ref.tool,
            ref.wording,
            self.suggestion(ref.tool, ref.wording),
        )


@dataclass(frozen=True)
class NewDivision:
    name: str
    kind: str


class DivisionBook:
    """The organization's divisions by name; names it lacks are collected to be
    created when the import allows it."""

    def __init__(self, organization: Organization, *, create: bool):
        self.organization = organization
        self.create = create
        self.by_key: dict[str, Division] = {}
        self.by_kind: dict[str, Division] = {}
        for division in Division.objects.filter(organization=organization):
            self.by_key[shape.name_key(division.name)] = division
            if division.is_collective:
                self.by_kind[division.kind] = division
        self.new: dict[str, NewDivision] = {}

    @staticmethod
    def _collective_kind(name: str) -> str | None:
        for wording, kind in shape.COLLECTIVE.items():
            if shape.name_key(name) == shape.name_key(wording):
                return kind
        return None

    def known(self, name: str) -> bool:
        key = shape.name_key(name)
        return key in self.by_key or self._collective_kind(name) is not None

    def resolve(self, text: str) -> list[Division | NewDivision]:
        found: list[Division | NewDivision] = []
        for name in shape.parse_divisions(text, self.known):
            key, kind = shape.name_key(name), self._collective_kind(name)
            division = self.by_kind.get(kind) if kind else None
            division = division or self.by_key.get(key)
            if division is None:
                if not self.create:
                    raise shape.CellError(
                        f"ไม่พบส่วนราชการ “{name}” ในหน่วยงานนี้ ตรวจสอบการสะกด "
                        "หรือเลือกให้สร้างส่วนราชการที่ยังไม่มี"
                    )
                division = self.new.setdefault(
                    key, NewDivision(name, kind or Division.Kind.REGULAR)
                )
            if division in found:
                raise shape.CellError(f"“{name}” ซ้ำกันในช่องนี้")
            found.append(division)
        return found
