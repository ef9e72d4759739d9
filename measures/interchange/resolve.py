"""Names in a sheet resolved against the database: the fiscal year's catalogue
of tools and indicators, and the organization's divisions."""

from collections import defaultdict
from dataclasses import dataclass

from measures.interchange import shape
from measures.models import AssessmentTool, Division, FiscalYear, Indicator, Organization


class Catalogue:
    """The tools and indicators of one fiscal year."""

    def __init__(self, fiscal_year: FiscalYear):
        self.fiscal_year = fiscal_year
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
        raise shape.CellError(
            f"ไม่พบตัวชี้วัด “{ref.wording}” ของเครื่องมือ {ref.tool} ในปีงบประมาณ พ.ศ. {year} "
            f"ถ้าเป็นถ้อยคำของหน่วยงานเอง ให้ระบุเลขตัวชี้วัดในวงเล็บ เช่น "
            f"“ตัวชี้วัด{ref.wording} (ตัวชี้วัดที่ 10)”"
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
