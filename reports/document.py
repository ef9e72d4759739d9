"""The report as plain strings: what the HTML page and the PDF print. Templates
only lay it out.

Text people typed (indicator wording, steps, sub-items, monitoring, results,
reasons, links) is printed exactly as typed, digits included: "ISO 9001:2015"
and ".../ita/o36" stay what they are. The organization's digit choices apply
only to the numbers the portal writes itself: the cover's year and months
(`cover_thai_digits`), and the step numbers, the dates it formats, the years in
the heading and the page numbers (`thai_digits`)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from interchange.shape import COLUMNS
from measures.models import Measure, Round
from progress.models import Progress, ReviewState
from reports.selectors import assessed_year_before, report_measures
from thai import conventions as thai

TITLE = "รายงานการดำเนินการ"
SUBTITLE = "ตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
NOT_REPORTED = "ยังไม่ได้รายงานผล"
# Printed on every page of a draft PDF, and over the report page until it is published.
DRAFT = "ฉบับร่าง"
# Result text and links longer than this (characters) are printed in a full-width
# row under the measure instead of the result column.
RESULT_COLUMN_CHARS = 300
# A step, sub-item or monitoring line up to this long (characters) is kept whole on
# one page: it reads, and copies out of the PDF, in one piece. A longer one may
# wrap to the next page (kept whole, one taller than the page would make WeasyPrint
# drop the header row there).
WHOLE_CHARS = 400
# Where the header's column names break: Thai line breaking (libthai's dictionary)
# would split them inside a word ("ผลการดำเนิน / การ", "กำหนด / เวลาแล้ว / เสร็จ").
HEADER_LINES = {
    "ผลการดำเนินการ": ("ผลการ", "ดำเนินการ"),
    "กำหนดเวลาแล้วเสร็จ": ("กำหนดเวลา", "แล้วเสร็จ"),
}
DETAIL_NOTE = "(รายละเอียดด้านล่าง)"
DETAIL_HEADING = "ผลการดำเนินการ (รายละเอียด)"
# Where a result that is not approved stands, as the report page lists them.
UNAPPROVED = {
    ReviewState.SUBMITTED: "รอผู้ประสานงานตรวจ",
    ReviewState.DRAFT: "ฉบับร่าง เจ้าหน้าที่ยังไม่ได้ส่ง",
    ReviewState.RETURNED: "ส่งกลับให้แก้ไข",
    "": NOT_REPORTED,
}


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
class LinkView:
    title: str
    url: str


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
    # The result column: the status sentence, and the result text and evidence
    # links when they are short; longer ones go to `detail`, a full-width row under
    # the measure (a 5,000-character result in the narrow column ran over 15 pages).
    result: list[str]
    status: str
    review_state: str  # "" when nothing was reported
    # The tool, printed over a continuation of the row on the next PDF page.
    tool_name: str = ""
    links: list[LinkView] = field(default_factory=list)
    detail: list[str] = field(default_factory=list)
    detail_links: list[LinkView] = field(default_factory=list)

    @property
    def has_detail(self) -> bool:
        return bool(self.detail or self.detail_links)

    @property
    def approved(self) -> bool:
        """The coordinator approved this round's result."""
        return self.review_state == ReviewState.APPROVED


@dataclass(frozen=True)
class SignOff:
    role: str
    name: str
    position: str
    # A sign-off recorded on the portal (approvals: who asked, who approved) prints the
    # role, name, position and `dated` ("อนุมัติเมื่อ ...") instead of a dotted line to
    # sign on paper.
    dated: str = ""
    recorded: bool = False


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

    detail_heading = DETAIL_HEADING
    whole_chars = WHOLE_CHARS

    @property
    def unapproved(self) -> list[RowView]:
        """Rows whose result the coordinator has not approved yet."""
        return [row for row in self.rows if not row.approved]

    @property
    def unapproved_by_state(self) -> list[tuple[str, list[RowView]]]:
        """The unapproved rows grouped under where they stand, in the order a
        coordinator deals with them: waiting for review first."""
        groups = []
        for state, label in UNAPPROVED.items():
            rows = [row for row in self.unapproved if row.review_state == state]
            if rows:
                groups.append((label, rows))
        return groups

    @property
    def header(self) -> list[tuple[str, ...]]:
        """The column names, each in the lines it is printed in."""
        return [HEADER_LINES.get(column, (column,)) for column in self.columns]

    @property
    def has_deadlines(self) -> bool:
        """Some measure has a deadline. Without any, the deadline column (kept, as
        in the original) is narrowed to its header."""
        return any(row.deadline for row in self.rows)

    @property
    def filename(self) -> str:
        r = self.round
        return f"ita-{r.organization.slug}-{r.fiscal_year.year}-round{r.kind}.pdf"


def draft_mark(made_at: datetime, thai_digits: bool) -> str:
    """What every page of a draft PDF says: "ฉบับร่าง จัดทำเมื่อ 6 ธ.ค. 2569 เวลา 11:40 น."
    (local time; the digits the document's body uses)."""
    local = timezone.localtime(made_at)
    made = f"{thai.format_thai_date(local.date(), abbr=True)} เวลา {local:%H:%M} น."
    return f"{DRAFT} จัดทำเมื่อ " + thai.localize_digits(made, thai_digits)


def _result(progress: Progress | None, thai_digits: bool, show_links: bool) -> dict:
    """The result column's lines: the status sentence (its date in the document's
    digits), then the result text and the evidence links as typed, in the column
    or, when long, in the row under it."""
    if progress is None:
        return {"result": [NOT_REPORTED]}
    status = typed(progress.status_line(thai_digits=thai_digits))
    text = [typed(line) for line in progress.result_text.splitlines() if line.strip()]
    links = [LinkView(typed(e.title), e.url) for e in progress.links] if show_links else []
    size = sum(map(len, text)) + sum(len(link.title) + len(link.url) for link in links)
    if size > RESULT_COLUMN_CHARS:
        return {"result": [status, DETAIL_NOTE], "detail": text, "detail_links": links}
    return {"result": [status, *text], "links": links}


def typed(text: str) -> str:
    """Text as people typed it; only ํ + า pasted from old PDFs is written as ำ,
    which looks the same and keeps the PDF's text layer exact."""
    return thai.normalize_sara_am(text)


def _row(measure: Measure, previous_indicator_id: int | None, organization) -> RowView:
    thai_digits = organization.thai_digits
    assignments = list(measure.assignments.all())
    names = [typed(a.division.name) for a in assignments]
    if len(names) > 1:
        names = [f"- {name}" for name in names]
    progress = measure.round_progress[0] if measure.round_progress else None
    tool = f"เครื่องมือการประเมิน {measure.indicator.tool.code}"
    return RowView(
        measure_id=measure.pk,
        order=measure.order,
        tool_line="" if measure.indicator_id == previous_indicator_id else tool,
        indicator_line=typed(f"ตัวชี้วัด{measure.target_label}"),
        divisions=names,
        steps=[
            StepView(
                number=thai.localize_digits(f"{step.number}.", thai_digits),
                text=typed(step.text),
                items=[ItemView(i.depth, typed(i.marker), typed(i.text)) for i in step.items.all()],
            )
            for step in measure.steps.all()
        ],
        monitoring=[typed(line) for line in measure.monitoring_lines],
        deadline=(
            thai.format_thai_date(measure.deadline, thai_digits=thai_digits)
            if measure.deadline
            else ""
        ),
        status=progress.status if progress else Progress.Status.NOT_STARTED,
        review_state=progress.review_state if progress else "",
        tool_name=tool,
        **_result(progress, thai_digits, organization.show_evidence_links),
    )


def build_document(round_: Round) -> ReportDocument:
    organization, fiscal_year = round_.organization, round_.fiscal_year
    body, cover = organization.thai_digits, organization.cover_thai_digits
    rows, previous_indicator_id = [], None
    measures = report_measures(round_, links=organization.show_evidence_links)
    for measure in measures:
        rows.append(_row(measure, previous_indicator_id, organization))
        previous_indicator_id = measure.indicator_id
    period = f"(เดือน{thai.format_month_year(round_.start)} - {thai.format_month_year(round_.end)})"
    # The assessment the measures follow from: the newest year with the agency's
    # results (the analysis app reads the same), else the year before.
    assessed = assessed_year_before(organization.pk, fiscal_year.year) or fiscal_year.year - 1
    return ReportDocument(
        round=round_,
        thai_digits=body,
        title=TITLE,
        subtitle=SUBTITLE,
        period_line=thai.localize_digits(
            f"ประจำปีงบประมาณ พ.ศ. {fiscal_year.year} {round_.get_kind_display()} {period}", cover
        ),
        organization=typed(organization.name),
        location=typed(organization.location),
        intro_heading=typed(f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสของ{organization.name} ")
        + thai.localize_digits(f"ประจำปีงบประมาณ พ.ศ. {fiscal_year.year}", body),
        intro=(
            "จากการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน "
            + thai.localize_digits(f"ประจำปีงบประมาณ พ.ศ. {assessed}", body)
            + typed(
                " นำมาสู่ข้อเสนอแนะในการกำหนดมาตรการในการส่งเสริมคุณธรรมและความโปร่งใส"
                f"ภายในหน่วยงานของ{organization.name} ดังนี้"
            )
        ),
        columns=COLUMNS,
        rows=rows,
        sign_offs=[
            SignOff("ผู้รายงาน", typed(round_.reporter_name), typed(round_.reporter_position)),
            SignOff("ผู้อนุมัติ", typed(round_.approver_name), typed(round_.approver_position)),
        ],
    )
