"""Reading what the link check found: the status of the links on a page, and an
agency's broken links for its coordinator's home page."""

from collections.abc import Iterable
from dataclasses import dataclass

from linkcheck import registry
from linkcheck.models import LinkStatus, url_hash


def statuses_for(urls: Iterable[str]) -> dict[str, LinkStatus]:
    """The known status of each of these URLs (one query; none when there are none)."""
    hashes = {url_hash(u.strip()): u for u in urls if u}
    if not hashes:
        return {}
    return {
        hashes[status.url_hash]: status
        for status in LinkStatus.objects.filter(url_hash__in=list(hashes))
    }


def attach_statuses(objects: Iterable, attribute: str = "url") -> None:
    """Sets `link_status` (a LinkStatus or None) on each object from its URL."""
    objects = [o for o in objects if getattr(o, attribute, "")]
    statuses = statuses_for(getattr(o, attribute) for o in objects)
    for obj in objects:
        obj.link_status = statuses.get(getattr(obj, attribute))


@dataclass(frozen=True)
class BrokenLink:
    link: registry.Link
    kind: str  # the source's label
    status: LinkStatus


def broken_links(organization) -> list[BrokenLink]:
    """The agency's links whose last check failed, longest broken first: one query per
    kind of link, and one for their statuses."""
    broken = LinkStatus.objects.filter(consecutive_failures__gt=0).values("url")
    found = [
        (link, source.label)
        for source in registry.sources()
        for link in source.broken_of(organization, broken)
    ]
    statuses = statuses_for(link.url for link, _kind in found)
    rows = [
        BrokenLink(link, kind, statuses[link.url])
        for link, kind in found
        if link.url in statuses and statuses[link.url].is_broken
    ]
    rows.sort(key=lambda row: (-row.status.consecutive_failures, row.link.place, row.link.url))
    return rows
