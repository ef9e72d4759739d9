"""The links the portal shows, as the apps that hold them register them (in their
AppConfig.ready): evidence links (progress), OIT item links (oit). linkcheck knows
a link only by its source's entry here, so it imports none of those apps."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Link:
    """One place a link is shown: what it is, where, and the page that shows it."""

    url: str
    title: str  # Thai: what the link is (its description, or the OIT item)
    place: str  # Thai: where it is ("มาตรการที่ 2 รอบ 6 เดือน ปีงบประมาณ 2566")
    href: str  # the portal page that shows it, where it is changed


@dataclass(frozen=True)
class LinkSource:
    label: str  # Thai: what kind of link ("หลักฐานของผลการดำเนินการ")
    # Every URL of this kind the portal holds (the check's list); distinct or not.
    urls: Callable[[], Iterable[str]]
    # The links of one agency among `broken` (a queryset of LinkStatus.url), as Links:
    # one query, whatever their number.
    broken_of: Callable[[object, QuerySet], list[Link]]


_sources: dict[str, LinkSource] = {}


def register(code: str, source: LinkSource) -> None:
    _sources[code] = source


def sources() -> list[LinkSource]:
    return list(_sources.values())
