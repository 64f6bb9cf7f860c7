"""Report documents made in the tests from the published text: HTML and PDF versions with the
page furniture a printed report has (running header, page numbers)."""

import html
import re

HEADER = "Inspection of probation services"


def text_to_html(text: str, *, header: str = HEADER) -> str:
    """Each paragraph a <p>, each Markdown table a <table>, with a running header and page numbers."""
    parts, table = [], []
    for line in [*text.split("\n"), ""]:
        if line.lstrip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r"-*:?-*", c) for c in cells):
                table.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
            continue
        if table:
            parts.append("<table>" + "".join(table) + "</table>")
            table = []
        if line.strip():
            parts.append(f"<p>{html.escape(line)}</p>")
    style = (
        f'@page {{ size: A4; margin: 2cm; @top-center {{ content: "{header}"; }} '
        "@bottom-center { content: counter(page); } } "
        "p, td { font: 10pt sans-serif; margin: 0 0 0.5em; } td { vertical-align: top; } tr { break-inside: avoid; }"
    )
    return f"<!DOCTYPE html><html><head><style>{style}</style></head><body>{''.join(parts)}</body></html>"


def text_to_pdf(text: str, *, header: str = HEADER) -> bytes:
    from weasyprint import HTML

    return HTML(string=text_to_html(text, header=header)).write_pdf()
