"""The analysis as plain strings: what its HTML page and its PDF print (templates
only lay it out), with the report's conventions: the organization's digit choices
for the numbers the portal writes (the heading's years: `cover_thai_digits`; the
scores, changes and years in the body: `thai_digits`), typed text as typed."""

from dataclasses import dataclass
from decimal import Decimal

from analysis.selectors import Analysis, Score
from reports.document import typed
from thai import conventions as thai

TITLE = "การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)"
NO_RESULT = "ยังไม่มีผลการประเมิน ITA ของปีก่อนหน้าในระบบ กรุณาบันทึกผลการประเมินก่อน"
NO_MEASURE = "ยังไม่มีมาตรการของปีนี้ที่ตอบตัวชี้วัดนี้"
NOT_WRITTEN = "(ยังไม่ได้ระบุ)"


@dataclass(frozen=True)
class ScoreRow:
    tool_line: str  # blank under the first row of its tool
    indicator: str
    score: str
    earlier: str  # "" when the year before is not known
    change: str
    weak: bool


@dataclass(frozen=True)
class WeakPointView:
    key: tuple[str, str]
    label: str
    score_line: str
    found: list[str]
    proposed: list[str]
    measures: list[str]


@dataclass(frozen=True)
class AnalysisView:
    analysis: Analysis
    thai_digits: bool
    title: str
    organization: str
    location: str
    heading: str  # "เพื่อกำหนดมาตรการ ... ประจำปีงบประมาณ พ.ศ. 2570"
    result_heading: str
    summary: str  # the total, grade and target; or NO_RESULT
    assessed: str
    earlier: str  # the year before's heading of its column, "" when unknown
    rows: list[ScoreRow]
    weak_heading: str
    weak_points: list[WeakPointView]
    off_weak: list[str]

    @property
    def filename(self) -> str:
        a = self.analysis
        return f"ita-{a.organization.slug}-{a.fiscal_year.year}-analysis.pdf"


def _number(value: Decimal, digits: bool, sign: bool = False) -> str:
    return thai.localize_digits(f"{value:+.2f}" if sign else f"{value:.2f}", digits)


def _lines(text: str) -> list[str]:
    return [typed(line) for line in text.splitlines() if line.strip()]


def _measure_line(measure, digits: bool) -> str:
    return (
        thai.localize_digits(f"มาตรการที่ {measure.order}", digits)
        + " "
        + typed(measure.target_label)
    )


def _weak_point(row: Score, target: Decimal, digits: bool) -> WeakPointView:
    indicator = row.score.indicator
    label = f"ตัวชี้วัดที่ {indicator.number} {indicator.name} ({indicator.tool.code})"
    line = f"คะแนน {row.score.score:.2f} ต่ำกว่าค่าเป้าหมาย {target:.2f}"
    if row.change is not None:
        line += f" (เปลี่ยนแปลง {row.change:+.2f} จากปีก่อน)"
    note = row.note
    return WeakPointView(
        key=row.key,
        label=thai.localize_digits(typed(label), digits),
        score_line=thai.localize_digits(line, digits),
        found=_lines(note.found) if note else [],
        proposed=_lines(note.proposed) if note else [],
        measures=[_measure_line(m, digits) for m in row.measures],
    )


def _rows(analysis: Analysis, digits: bool) -> list[ScoreRow]:
    rows, tool = [], None
    for row in analysis.scores:
        indicator = row.score.indicator
        rows.append(
            ScoreRow(
                tool_line="" if indicator.tool.code == tool else indicator.tool.code,
                indicator=thai.localize_digits(f"{indicator.number}. ", digits)
                + typed(indicator.name),
                score=_number(row.score.score, digits),
                earlier="" if row.earlier is None else _number(row.earlier, digits),
                change="" if row.change is None else _number(row.change, digits, sign=True),
                weak=row.weak,
            )
        )
        tool = indicator.tool.code
    return rows


def build_view(analysis: Analysis) -> AnalysisView:
    organization, year = analysis.organization, analysis.fiscal_year.year
    body, cover = organization.thai_digits, organization.cover_thai_digits
    result, earlier = analysis.result, analysis.earlier
    assessed = result.fiscal_year.year if result else year - 1
    summary = NO_RESULT
    if result is not None:
        summary = thai.localize_digits(
            f"คะแนนรวม {result.total:.2f} ระดับ {result.grade} "
            f"ค่าเป้าหมายของหน่วยงาน {result.target:.2f} คะแนน",
            body,
        )
    target = result.target if result else Decimal(0)
    return AnalysisView(
        analysis=analysis,
        thai_digits=body,
        title=TITLE,
        organization=typed(organization.name),
        location=typed(organization.location),
        heading=thai.localize_digits(
            f"เพื่อกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year}",
            cover,
        ),
        result_heading=thai.localize_digits(
            f"๑. ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {assessed}", body
        ),
        summary=summary,
        assessed=thai.localize_digits(f"ปี {assessed}", body),
        earlier=thai.localize_digits(f"ปี {earlier.fiscal_year.year}", body) if earlier else "",
        rows=_rows(analysis, body),
        weak_heading=thai.localize_digits("๒. จุดอ่อนและข้อเสนอแนะ", body),
        weak_points=[_weak_point(row, target, body) for row in analysis.weak],
        off_weak=[_measure_line(m, body) for m in analysis.off_weak],
    )
