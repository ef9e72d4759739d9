"""A real SMTP server for the tests (aiosmtpd), on 127.0.0.1: it keeps what it
receives, and refuses (550) the recipients it is told to refuse."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self):
        self.received: list[EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 ไม่มีผู้รับนี้ (mailbox unavailable)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if address in m["To"]]

    @staticmethod
    def subject(message: EmailMessage) -> str:
        """The subject as the reader sees it (the folded header's first blank aside)."""
        return str(message["Subject"]).strip()

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(("plain",)).get_content()

    @staticmethod
    def html(message: EmailMessage) -> str:
        return message.get_body(("html",)).get_content()


@dataclass
class Page:
    """An HTML part as a mail program shows it: its words, its links, its tags."""

    lang: str = ""
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, words)
    tags: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._link: list | None = None

    def handle_starttag(self, tag, attrs):
        self.page.tags.add(tag)
        self.page.attributes |= {name for name, _ in attrs}
        attrs = dict(attrs)
        if tag == "html":
            self.page.lang = attrs.get("lang", "")
        if tag == "a":
            self._link = [attrs.get("href", ""), ""]

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.page.links.append((self._link[0], self._link[1].strip()))
            self._link = None

    def handle_data(self, data):
        self.page.text += data
        if self._link is not None:
            self._link[1] += data


def read_html(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(mailbox: Mailbox) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller
