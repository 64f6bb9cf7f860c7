"""A published report, whatever its format, as numbered lines of text."""

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from pypdf import PdfReader
from pypdf.errors import PdfReadError


class UnreadableReport(ValueError):
    """The file is not a report this service can read; the message says why in plain words."""


@dataclass(frozen=True)
class Line:
    number: int
    text: str


# Tags that start a paragraph (a blank line in the text) and tags that start a line.
PARAGRAPH_TAGS = {
    "address", "article", "aside", "blockquote", "div", "dl", "figcaption", "footer", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul",
}  # fmt: skip
LINE_TAGS = {"br", "dd", "dt", "li", "tr"}
CELL_TAGS = {"td", "th"}
IGNORED_TAGS = {"script", "style", "head", "title", "noscript"}
# Metadata names that give a page's publication date (Open Graph, Dublin Core, schema.org, citations).
PUBLISHED_METADATA = re.compile(r"published|issued|publication_date|^dc\.date$|^date$", re.I)


class _HtmlText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.ignoring = 0

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            self._metadata(dict(attrs))
        elif tag in IGNORED_TAGS:
            self.ignoring += 1
        elif tag in PARAGRAPH_TAGS:
            self.parts.append("\n\n")
        elif tag in LINE_TAGS:
            self.parts.append("\n")
        elif tag in CELL_TAGS:
            self.parts.append("\t")

    def _metadata(self, attrs):
        """A page's publication date is kept in its metadata: written as a line of its own
        ("meta article:published_time: 2023-02-09T00:01:00Z") for the rules to read."""
        name = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").strip()
        content = " ".join((attrs.get("content") or "").split())
        if name and content and PUBLISHED_METADATA.search(name):
            self.parts.append(f"\nmeta {name}: {content}\n")

    def handle_endtag(self, tag):
        if tag in IGNORED_TAGS:
            self.ignoring = max(0, self.ignoring - 1)
        elif tag in PARAGRAPH_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.ignoring:
            # Inside a paragraph, source line breaks are only wrapping.
            self.parts.append(" ".join(data.split("\n")))


def html_text(data: str) -> str:
    parser = _HtmlText()
    parser.feed(data)
    parser.close()
    # One blank line between paragraphs, however many tags close and open there.
    return re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n\n", "".join(parser.parts))


def pdf_text(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise UnreadableReport(f"The PDF could not be read ({exc}).") from exc
    if not any(page.strip() for page in pages):
        raise UnreadableReport("The PDF has no text to read: it may be a scan. Upload the report's text or HTML.")
    # A blank line between pages, as between paragraphs: page furniture is dropped later.
    return "\n\n".join(pages)


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableReport("The file is not text, HTML or PDF.")


def report_text(data: bytes, filename: str = "") -> str:
    """The text of a report given as PDF, HTML or plain text (told apart by content, then name)."""
    if not data.strip():
        raise UnreadableReport("The file is empty.")
    if data.lstrip()[:5] == b"%PDF-" or filename.lower().endswith(".pdf"):
        return pdf_text(data)
    text = decode_text(data)
    head = text.lstrip()[:500].lower()
    if filename.lower().endswith((".html", ".htm")) or head.startswith(("<!doctype html", "<html")):
        return html_text(text)
    return text


def report_lines(data: bytes, filename: str = "") -> list[Line]:
    text = report_text(data, filename).replace("\r\n", "\n").replace("\r", "\n")
    return [Line(number, text) for number, text in enumerate(text.split("\n"), start=1)]
