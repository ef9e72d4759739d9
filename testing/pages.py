"""What a person reads on a page the portal answered: the visible text of the whole
page, or of one element of it, read with the standard library's HTML parser
(entities decoded, scripts and styles left out, white space squeezed).

Every tag separates words, as the pages' own markup does: "<b>8</b> จาก 8" reads
"8 จาก 8"; but a compound word kept whole at line ends (thai.words: `<span
class="kw">`) reads as part of the text around it, as a browser shows it."""

from html.parser import HTMLParser

from django.http import HttpResponseBase

# What a browser does not show as text.
HIDDEN = {"script", "style", "template"}
# Elements that never have an end tag.
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Text(HTMLParser):
    """The text of the page, or of the element with `element_id` alone (`found` says
    whether the page has it)."""

    def __init__(self, element_id: str | None = None):
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.found = False
        self.open: list[str] = []  # the tags open at this point of the page
        self.inside_at: int | None = None if element_id else 0  # depth of the element read
        self.done = False
        self.words: list[str] = []
        # Whether the next text continues the last word: the text before ended in a
        # letter, with nothing between but a compound's span (thai.words).
        self.joined = False
        self.kept_words: list[int] = []  # where such spans are open (depths in `open`)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            self.joined = False
            return
        if tag == "span" and dict(attrs).get("class") == "kw":
            self.kept_words.append(len(self.open) + 1)
        else:
            self.joined = False
        self.open.append(tag)
        if self.inside_at is None and not self.done and dict(attrs).get("id") == self.element_id:
            self.found = True
            self.inside_at = len(self.open)

    def handle_endtag(self, tag):
        if self.kept_words and self.kept_words[-1] == len(self.open) and tag == "span":
            self.kept_words.pop()
        else:
            self.joined = False
        if tag not in self.open:
            return  # a stray end tag, as browsers ignore it
        while self.open:  # end tags a page left out close with their parent
            if self.inside_at is not None and self.element_id and len(self.open) == self.inside_at:
                self.inside_at, self.done = None, True
            if self.open.pop() == tag:
                break

    def handle_data(self, data):
        if self.inside_at is not None and not HIDDEN.intersection(self.open):
            words = data.split()
            if self.joined and words and self.words and not data[0].isspace():
                self.words[-1] += words.pop(0)
            self.words.extend(words)
            self.joined = bool(data) and not data[-1].isspace()


def _html(page) -> str:
    if isinstance(page, HttpResponseBase):
        content = b"".join(page.streaming_content) if page.streaming else page.content
        return content.decode(page.charset or "utf-8")
    return page.decode() if isinstance(page, bytes) else page


def _checked(page, status: int | None):
    if status is not None and isinstance(page, HttpResponseBase):
        assert page.status_code == status, f"answered {page.status_code}, not {status}"


def visible_text(page, *, status: int | None = 200) -> str:
    """The words of the page (a response, its bytes or its HTML) joined by single
    spaces. A response must have answered `status` (None: any)."""
    _checked(page, status)
    parser = _Text()
    parser.feed(_html(page))
    parser.close()
    return " ".join(parser.words)


def element_text(page, element_id: str, *, status: int | None = 200) -> str | None:
    """The visible text of the page's element with this id (from its start tag to its
    own end tag), or None when the page has no such element."""
    _checked(page, status)
    parser = _Text(element_id)
    parser.feed(_html(page))
    parser.close()
    return " ".join(parser.words) if parser.found else None
