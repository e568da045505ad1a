"""TimelineJS's text fields, both ways: what TimelineJS shows of their HTML, the sources
paragraph that ends an exported slide's text (written, and read back), and a quotation's
`<cite>`. Used by its reader (timelinejs) and its writer (timelinejs_write)."""

from __future__ import annotations

import html
import re
from typing import Any

from atlas.formats.common import Record, html_text, obj, plain_text, source
from atlas.source.model import Event

SOURCES = "Sources:"  # the last paragraph of an exported slide's text: one source a line
WHERE = "Where:"  # the paragraph before it: the event's places, named as on its day
# A script or style element, as an HTML parser ends it (at its first end tag, else the end).
HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)


def summary_and_sources(markup: str) -> tuple[str, list[Record]]:
    """A slide's text as plain text, and the sources of its last paragraph when that is
    a list of them as the export writes it ("Sources:", then one a line, a link or text)."""
    text = displayed(markup)
    body, _, last = text.rpartition("\n\n")
    if not last.startswith(SOURCES + "\n"):
        return text, []
    links = {plain_text(label): url for url, label in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', markup, re.S)}
    labels = [line.strip() for line in last.split("\n")[1:] if line.strip()]
    return body, [source(label, html.unescape(links[label])) if label in links else {"label": label}
                  for label in labels]


def displayed(markup: Any) -> str:
    """The text TimelineJS shows of an HTML field: DOMPurify drops a script or a style
    with its content (plain_text alone would keep the content as words)."""
    return plain_text(HIDDEN.sub("", str(markup or "")))


def cite_apart(value: Any) -> dict[str, Any]:
    """A media object with its HTML fields as TimelineJS shows them (scripts and styles
    gone), and a quotation's `<cite>` (where TimelineJS's own examples name who said it)
    as its credit, not as words of the quotation."""
    media = {key: HIDDEN.sub("", item) if isinstance(item, str) and key != "alt" else item
             for key, item in obj(value).items()}
    url = media.get("url")
    if not isinstance(url, str) or not url.lstrip().lower().startswith("<blockquote"):
        return media
    cites = re.findall(r"<cite\b[^>]*>(.*?)</cite\s*>", url, re.S | re.I)
    if not cites:
        return media
    quote = re.sub(r"<cite\b[^>]*>.*?</cite\s*>", "", url, flags=re.S | re.I)
    cited = "; ".join(text for text in [plain_text(" ".join(cites)), plain_text(media.get("credit"))] if text)
    return {**media, "url": quote, "credit": html_text(cited)}


def sources_html(event: Event) -> str:
    """The event's sources as the text's last paragraph, one a line, a web address linked."""
    if not event.sources:
        return ""
    lines = [f'<a href="{html.escape(item.url, quote=True)}">{html_text(item.label)}</a>'
             if item.url and re.fullmatch(r"https?://\S+", item.url) else html_text(item.label)
             for item in event.sources]
    return f"<p>{SOURCES}<br>" + "<br>".join(lines) + "</p>"


def where_apart(summary: str) -> tuple[str, str]:
    """A summary without its last paragraph when that names the event's places as the
    export writes them ("Where: Byzantion, Chalcedon."), and the names it gives."""
    body, _, last = summary.rpartition("\n\n")
    if not (last.startswith(WHERE + " ") and last.endswith(".") and "\n" not in last):
        return summary, ""
    return body, last[len(WHERE) + 1:-1]
