"""The report as plain strings, in the document's digits: what the HTML page,
the PDF and the exports print. Templates only lay it out."""

from dataclasses import dataclass, field

from measures import thai
from measures.interchange.shape import COLUMNS
from measures.models import Measure, Progress, ReviewState, Round
from reports.selectors import report_measures

TITLE = "รายงานการดำเนินการ"
SUBTITLE = "ตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
NOT_REPORTED = "ยังไม่ได้รายงานผล"


@dataclass(frozen=True)
class ItemView:
    depth: int
    marker: str
    text: str


@dataclass(frozen=True)
class StepView:
    number: str
    text: str
    items: list[ItemView] = field(default_factory=list)


@dataclass(frozen=True)
class RowView:
    measure_id: int
    order: int
    # Blank when the row is another measure of the indicator above: the published
    # original prints the tool once over such a group (its measures 1 and 2).
    tool_line: str
    indicator_line: str
    divisions: list[str]
    steps: list[StepView]
    monitoring: list[str]
    deadline: str
    result: list[str]
    status: str
    approved: bool  # the coordinator approved this round's result


@dataclass(frozen=True)
class SignOff:
    role: str
    name: str
    position: str


@dataclass(frozen=True)
class ReportDocument:
    round: Round
    thai_digits: bool
    title: str
    subtitle: str
    period_line: str
    organization: str
    location: str
    intro_heading: str
    intro: str
    columns: tuple[str, ...]
    rows: list[RowView]
    sign_offs: list[SignOff]

    @property
    def unapproved(self) -> list[RowView]:
        """Rows whose result the coordinator has not approved yet."""
        return [row for row in self.rows if not row.approved]

    @property
    def filename(self) -> str:
        r = self.round
        return f"ita-{r.organization.slug}-{r.fiscal_year.year}-round{r.kind}.pdf"


def _result_lines(progress: Progress | None, digits) -> tuple[list[str], str]:
    """The result column's lines and the status they state."""
    if progress is None:
        return [NOT_REPORTED], Progress.Status.NOT_STARTED
    lines = [digits(progress.result_line)]
    lines += [digits(line) for line in progress.result_text.splitlines() if line.strip()]
    return lines, progress.status


def _row(measure: Measure, previous_indicator_id: int | None, digits) -> RowView:
    assignments = list(measure.assignments.all())
    names = [a.division.name for a in assignments]
    if len(names) > 1:
        names = [f"- {name}" for name in names]
    progress = measure.round_progress[0] if measure.round_progress else None
    result, status = _result_lines(progress, digits)
    tool = measure.indicator.tool.code
    return RowView(
        measure_id=measure.pk,
        order=measure.order,
        tool_line=(
            "" if measure.indicator_id == previous_indicator_id else f"เครื่องมือการประเมิน {tool}"
        ),
        indicator_line=digits(f"ตัวชี้วัด{measure.target_label}"),
        divisions=names,
        steps=[
            StepView(
                number=digits(f"{step.number}."),
                text=digits(step.text),
                items=[
                    ItemView(i.depth, digits(i.marker), digits(i.text)) for i in step.items.all()
                ],
            )
            for step in measure.steps.all()
        ],
        monitoring=[digits(line) for line in measure.monitoring_lines],
        deadline=digits(thai.format_thai_date(measure.deadline)) if measure.deadline else "",
        result=result,
        status=status,
        approved=progress is not None and progress.review_state == ReviewState.APPROVED,
    )


def build_document(round_: Round) -> ReportDocument:
    organization, fiscal_year = round_.organization, round_.fiscal_year

    def digits(text: str) -> str:
        return thai.localize_digits(thai.normalize_sara_am(text), organization.thai_digits)

    rows, previous_indicator_id = [], None
    for measure in report_measures(round_):
        rows.append(_row(measure, previous_indicator_id, digits))
        previous_indicator_id = measure.indicator_id
    period = f"(เดือน{thai.format_month_year(round_.start)} - {thai.format_month_year(round_.end)})"
    return ReportDocument(
        round=round_,
        thai_digits=organization.thai_digits,
        title=TITLE,
        subtitle=SUBTITLE,
        period_line=digits(
            f"ประจำปีงบประมาณ พ.ศ. {fiscal_year.year} {round_.get_kind_display()} {period}"
        ),
        organization=organization.name,
        location=organization.location,
        intro_heading=digits(
            f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสของ{organization.name} "
            f"ประจำปีงบประมาณ พ.ศ. {fiscal_year.year}"
        ),
        intro=digits(
            "จากการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน "
            f"ประจำปีงบประมาณ พ.ศ. {fiscal_year.year - 1} นำมาสู่ข้อเสนอแนะในการกำหนดมาตรการ"
            f"ในการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานของ{organization.name} ดังนี้"
        ),
        columns=COLUMNS,
        rows=rows,
        sign_offs=[
            SignOff("ผู้รายงาน", round_.reporter_name, round_.reporter_position),
            SignOff("ผู้อนุมัติ", round_.approver_name, round_.approver_position),
        ],
    )
