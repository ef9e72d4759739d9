"""What the memo and the form say about a published version: its agency, title,
version, public link, and the people and dates of its approval, as the placeholders'
values (texts.PLACEHOLDERS). A PublishedReport today; an analysis version gets a
function of its own here."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from analysis.document import TITLE as ANALYSIS_TITLE
from analysis.models import PublishedAnalysis
from organizations.models import Membership, Organization
from reports.document import SUBTITLE, TITLE
from reports.models import PublishedReport
from thai import conventions as thai


@dataclass(frozen=True)
class Person:
    name: str
    position: str


@dataclass(frozen=True)
class Subject:
    """A published version of a document, as the paperwork names it."""

    organization: Organization
    title: str
    version: int
    link: str
    fiscal_year: int
    published_by: Person
    published_at: datetime


def display_name(user) -> str:
    """The name printed for a person; a command (organizations.access.SYSTEM) by its
    own Thai name."""
    if user is None:
        return ""
    if not hasattr(user, "get_full_name"):
        return str(user)
    return user.get_full_name().strip() or user.get_username()


def public_link(path: str) -> str:
    """The address the public reaches: the portal's own address (ITA_SITE_URL, when
    the installation sets it) before the path."""
    return getattr(settings, "ITA_SITE_URL", "").rstrip("/") + path


def of_report(report: PublishedReport) -> Subject:
    round_ = report.round
    organization, year = round_.organization, round_.fiscal_year.year
    digits = organization.thai_digits
    title = f"{TITLE}{SUBTITLE} " + thai.localize_digits(
        f"ประจำปีงบประมาณ พ.ศ. {year} {round_.get_kind_display()}", digits
    )
    path = reverse(
        "reports:public_version", args=[organization.slug, year, round_.kind, report.version]
    )
    return Subject(
        organization=organization,
        title=title,
        version=report.version,
        link=public_link(path),
        fiscal_year=year,
        published_by=Person(
            display_name(report.published_by), role_label(report.published_by, organization)
        ),
        published_at=report.published_at,
    )


def of_analysis(published: PublishedAnalysis) -> Subject:
    document = published.document
    organization, year = document.organization, document.fiscal_year.year
    title = f"{ANALYSIS_TITLE} เพื่อกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน " + (
        thai.localize_digits(f"ประจำปีงบประมาณ พ.ศ. {year}", organization.thai_digits)
    )
    path = reverse("analysis:public_version", args=[organization.slug, year, published.version])
    return Subject(
        organization=organization,
        title=title,
        version=published.version,
        link=public_link(path),
        fiscal_year=year,
        published_by=Person(
            display_name(published.published_by), role_label(published.published_by, organization)
        ),
        published_at=published.published_at,
    )


def of_published(published: PublishedReport | PublishedAnalysis) -> Subject:
    if isinstance(published, PublishedAnalysis):
        return of_analysis(published)
    return of_report(published)


def role_label(user, organization: Organization) -> str:
    role = (
        Membership.objects.filter(user=user, organization=organization)
        .values_list("role", flat=True)
        .first()
    )
    return Membership.Role(role).label if role else ""


def values(
    subject: Subject,
    *,
    requester: Person,
    requested_at: datetime,
    approver: Person,
    approved_at: datetime,
    note: str,
) -> dict[str, str]:
    """The placeholders' values; numbers the portal writes follow the agency's
    digits (reports.document_settings), typed text stays as typed."""
    digits = subject.organization.thai_digits

    def day(moment: datetime) -> str:
        return thai.format_thai_date(timezone.localdate(moment), thai_digits=digits)

    return {
        "organization": subject.organization.name,
        "title": subject.title,
        "version": thai.localize_digits(str(subject.version), digits),
        "link": subject.link,
        "requester": requester.name,
        "requester_position": requester.position,
        "requested_on": day(requested_at),
        "approver": approver.name,
        "approver_position": approver.position,
        "approved_on": day(approved_at),
        "publisher": subject.published_by.name,
        "publisher_position": subject.published_by.position,
        "published_on": day(subject.published_at),
        "fiscal_year": thai.localize_digits(str(subject.fiscal_year), digits),
        "note": note,
    }


def time_of_day(moment: datetime, thai_digits: bool) -> str:
    """ "14.05" in the portal's time zone, as Thai documents write the time."""
    return thai.localize_digits(timezone.localtime(moment).strftime("%H.%M"), thai_digits)


def preview_values(organization: Organization, newest) -> tuple[dict[str, str], tuple[str, str]]:
    """The values a preview of the agency's texts shows: those of its newest
    paperwork (`newest`, a Paperwork with its report), or an example's before any."""
    digits = organization.thai_digits
    if newest is not None:
        subject = of_published(newest.published)
        requested_at, approved_at = newest.requested_at, newest.approved_at
        people = {
            "requester": Person(newest.requester_name, newest.requester_position),
            "approver": Person(newest.approver_name, newest.approver_position),
        }
        note = newest.note
    else:
        now = timezone.now()
        year = thai.fiscal_year_of(timezone.localdate(now))
        path = reverse("reports:public_version", args=[organization.slug, year, 6, 1])
        subject = Subject(
            organization=organization,
            title=f"{TITLE}{SUBTITLE} "
            + thai.localize_digits(f"ประจำปีงบประมาณ พ.ศ. {year} รอบ 6 เดือน", digits),
            version=1,
            link=public_link(path),
            fiscal_year=year,
            published_by=Person("ชื่อผู้เผยแพร่ (ตัวอย่าง)", "ผู้ประสานงาน ITA"),
            published_at=now,
        )
        requested_at = approved_at = now
        people = {
            "requester": Person("ชื่อผู้ขออนุญาต (ตัวอย่าง)", "ผู้ประสานงาน ITA"),
            "approver": Person("ชื่อผู้บริหาร (ตัวอย่าง)", f"ผู้บริหาร{organization.name}"),
        }
        note = ""
    values_ = values(
        subject, requested_at=requested_at, approved_at=approved_at, note=note, **people
    )
    return values_, (time_of_day(requested_at, digits), time_of_day(approved_at, digits))
