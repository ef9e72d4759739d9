"""The world the walk runs in, built once for the package's tests.

Organization A is the seed agency (in อุบลราชธานี) and owns every object the walk
opens; organization B has its own coordinator, staff and executive, who must learn
nothing of A's data and change none of it. Two overseers read across agencies: one
of the whole installation, who may read A's reports and dashboard and change
nothing, and one of another province, who must learn nothing of A.
"""

from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from analysis.models import AnalysisDocument, PublishedAnalysis
from approvals import services as approvals
from approvals.models import ApprovalRequest, ApprovalSettings, Approver
from catalogue.models import AssessmentTool, FiscalYear, Indicator, OitItem
from demo.seed import load_report_data, read_seed
from jobs.models import Job
from linkcheck.models import LinkStatus, url_hash
from measures.models import Measure, MeasureDivision, Round, Step
from oit.models import AgencyOitLink
from oit.services import set_link
from operations.models import PendingDeletion
from organizations.access import SYSTEM
from organizations.models import (
    District,
    Division,
    Membership,
    Organization,
    OverseerScope,
    Province,
)
from organizations.services import add_member
from organizations.services import province as province_named
from progress.models import Evidence, Progress, ReviewState
from reminders.models import Kind, SentReminder
from reports.models import PublishedReport
from reports.pdf import drafts
from reports.services import publish_round
from results.models import ITAResult
from results.scores import catalogue_indicators
from results.services import save_result
from testing.factories import DivisionFactory, OrganizationFactory, UserFactory

PASSWORD = "pass-1234"  # every person's (testing.factories.UserFactory)


@dataclass
class World:
    people: dict
    org: Organization
    org_b: Organization
    measure: Measure  # measure 1, กองการเจ้าหน้าที่'s alone; its 12-month result waits for review
    progress: Progress
    report: PublishedReport  # version 1 of the 6-month round
    next_year: FiscalYear  # 2567: no agency has rounds or measures in it yet
    objects: dict  # model -> an object of organization A (or of the installation)
    disposable: dict  # model -> one that nothing protects from deletion, where `objects`' is


def _people(org, org_b, division_b) -> dict:
    def member(name, organization, role, divisions=()):
        user = UserFactory(username=name, first_name=name)
        add_member(member=user, organization=organization, role=role, divisions=divisions)
        return user

    def overseer(name, **scope):
        user = UserFactory(username=name)
        OverseerScope.objects.create(user=user, **scope)
        return user

    def division(name):
        return [Division.objects.get(organization=org, name=name)]

    staff, executive, coordinator = (
        Membership.Role.STAFF,
        Membership.Role.EXECUTIVE,
        Membership.Role.COORDINATOR,
    )
    return {
        "anonymous": None,
        "no_membership": UserFactory(username="nobody"),
        # Signs in on the login pages' forms, whoever sends them (nobody else does).
        "signin": UserFactory(username="signin"),
        "signin_staff": UserFactory(username="signin-admin", is_staff=True),
        "staff_own": member("own", org, staff, division("กองการเจ้าหน้าที่")),
        "staff_other": member("other", org, staff, division("กองคลัง")),
        "executive": member("exec", org, executive),
        "coordinator": member("coord", org, coordinator),
        "staff_b": member("staff-b", org_b, staff, [division_b]),
        "executive_b": member("exec-b", org_b, executive),
        "coordinator_b": member("coord-b", org_b, coordinator),
        "superuser": get_user_model().objects.create_superuser("root", "", PASSWORD),
        "overseer": overseer("national", whole_installation=True),
        "overseer_b": overseer("nacc-sisaket", province=province_named("ศรีสะเกษ")),
    }


def build_world() -> World:
    seed = load_report_data(read_seed())
    org = seed.organization
    org_b = OrganizationFactory(slug="other-agency")
    division_b = DivisionFactory(organization=org_b, name="กองของหน่วยงานบี")
    people = _people(org, org_b, division_b)
    measure = Measure.objects.get(organization=org, order=1)
    twelve = Round.objects.get(organization=org, kind=12)
    progress = Progress.objects.create(
        measure=measure, round=twelve, review_state=ReviewState.SUBMITTED, result_text="ของเอ"
    )
    evidence = Evidence(progress=progress, original_name="หลักฐาน.pdf", size=9)
    evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    next_year = FiscalYear.objects.create(year=2567)
    disposable = _disposable(org, org_b, next_year)  # before the report is made from A's rows
    six = Round.objects.get(organization=org, kind=6)
    report = publish_round(round_=six, user=people["coordinator"])
    drafts.make(six)  # the draft PDF is made: its URL serves it to whoever may read it
    job = Job.objects.create(
        kind=Job.Kind.PUBLISH,
        organization=org,
        round=six,
        requested_by=people["coordinator"],
        state=Job.State.DONE,
        message="เผยแพร่รายงานฉบับที่ 1 แล้ว",
        result_id=report.pk,
    )
    objects = _objects(seed, org, people, measure, progress, evidence, report, job)
    objects[ITAResult] = save_result(
        user=SYSTEM,
        organization=org,
        fiscal_year=seed.fiscal_year,
        scores={i.pk: "90.00" for i in catalogue_indicators(seed.fiscal_year)},
        total="90.00",
    )
    objects[SentReminder] = SentReminder.objects.create(
        user=people["staff_own"],
        kind=Kind.LATE,
        subject_key=f"progress:{measure.pk}:{twelve.pk}:late:w0",
        day=twelve.end,
        email="own@example.go.th",
        subject="แจ้งเตือน: มาตรการที่เลยกำหนดรายงานผล 1 มาตรการ",
        status=SentReminder.Status.SENT,
        attempts=1,
    )
    objects |= _agency_records(org, people, six)
    return World(people, org, org_b, measure, progress, report, next_year, objects, disposable)


def _agency_records(org, people, six) -> dict:
    """A's records that the portal's pages write and the admin only shows (approvals,
    OIT links, analyses), and the installation's housekeeping rows. None changes what
    the other walks expect: the request is a returned one, the settings are the
    defaults, the approver is A's executive, the link is for an item of its own, the
    analysis is of 2565 (the walks publish those of 2566 and 2567)."""
    coordinator, executive = people["coordinator"], people["executive"]
    item = OitItem.objects.create(
        fiscal_year=six.fiscal_year, number="O90", order=90, title="ช่องทางแจ้งเรื่องร้องเรียน"
    )
    analysis = AnalysisDocument.objects.create(
        organization=org, fiscal_year=FiscalYear.objects.get_or_create(year=2565)[0]
    )
    published = PublishedAnalysis(
        document=analysis, version=1, sha256="0" * 64, size=9, published_by=coordinator
    )
    published.pdf.save("analysis.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {
        ApprovalRequest: ApprovalRequest.objects.create(
            organization=org,
            round=six,
            state=ApprovalRequest.State.RETURNED,
            content_sha256="0" * 64,
            requested_by=coordinator,
            requested_name="coord",
            requested_at=timezone.now(),
            decided_by=executive,
            decided_name="exec",
            decided_at=timezone.now(),
            reason="ยังไม่ครบ",
        ),
        ApprovalSettings: approvals.save_settings(
            user=coordinator, organization=org, required=True, recorded_sign_off=True
        ),
        Approver: approvals.name_approver(user=coordinator, organization=org, member=executive),
        AgencyOitLink: set_link(
            user=coordinator,
            organization=org,
            item=item,
            url="https://www.example.go.th/complaints",
            seen_version=0,
        ),
        AnalysisDocument: analysis,
        PublishedAnalysis: published,
        LinkStatus: LinkStatus.objects.create(
            url="https://www.example.go.th/complaints",
            url_hash=url_hash("https://www.example.go.th/complaints"),
            last_checked_at=timezone.now(),
            status_code=404,
            error="ไม่พบหน้า (404)",
            consecutive_failures=2,
        ),
        PendingDeletion: PendingDeletion.objects.create(
            name="evidence/removed.pdf", due_at=timezone.now() + timedelta(hours=2)
        ),
    }


def _disposable(org, org_b, next_year) -> dict:
    """Rows that nothing refers to, for deleting: the walk's own objects are protected
    (a division with measures, a round with results, a user who published...)."""
    tool = AssessmentTool.objects.create(fiscal_year=next_year, code="WALK", name="ลบได้")
    nan = province_named("น่าน")
    measure = Measure.objects.create(
        organization=org,
        fiscal_year=FiscalYear.objects.get(year=2566),
        indicator=Measure.objects.filter(organization=org).first().indicator,
        target="มาตรการที่ลบได้",
        monitoring="รายงานผลต่อผู้บริหาร",
        order=90,
    )
    MeasureDivision.objects.create(
        measure=measure, division=Division.objects.get(organization=org, name="กองคลัง"), order=1
    )
    Step.objects.create(measure=measure, number=1, text="ขั้นตอนเดียว")
    return {
        get_user_model(): UserFactory(username="leaver"),
        Organization: OrganizationFactory(slug="closed-agency"),
        Division: DivisionFactory(organization=org, name="กองที่ยุบแล้ว"),
        Province: nan,
        District: District.objects.create(province=org.province, name="อำเภอที่ลบได้"),
        FiscalYear: next_year,
        AssessmentTool: tool,
        Indicator: Indicator.objects.create(tool=tool, number="1", name="ลบได้"),
        OitItem: OitItem.objects.create(fiscal_year=next_year, number="O1", title="ลบได้"),
        # Of 2566: a round of 2567 would make it the roll-up's newest year.
        Round: Round.objects.create(
            organization=org_b, fiscal_year=FiscalYear.objects.get(year=2566), kind=6
        ),
        Measure: measure,
    }


def _objects(seed, org, people, measure, progress, evidence, report, job) -> dict:
    def attempt(model, **fields):
        return model.objects.create(username="coord", ip_address="10.0.0.1", **fields)

    return {
        Organization: org,
        Division: measure.divisions.first(),
        FiscalYear: seed.fiscal_year,
        AssessmentTool: AssessmentTool.objects.filter(fiscal_year=seed.fiscal_year).first(),
        Indicator: measure.indicator,
        OitItem: OitItem.objects.create(
            fiscal_year=seed.fiscal_year,
            number="O42",
            order=42,
            title="มาตรการ",
            filled_by="measures",
        ),
        Round: progress.round,
        Measure: measure,
        Step: measure.steps.first(),
        Progress: progress,
        Membership: Membership.objects.get(user=people["coordinator"]),
        PublishedReport: report,
        Job: job,
        Evidence: evidence,
        get_user_model(): people["coordinator"],
        Group: Group.objects.first(),
        Province: org.province,
        District: org.district,
        OverseerScope: OverseerScope.objects.get(user=people["overseer"]),
        AccessAttempt: attempt(AccessAttempt, failures_since_start=1, get_data="", post_data=""),
        AccessLog: attempt(AccessLog),
        AccessFailureLog: attempt(AccessFailureLog, locked_out=False),
    }
