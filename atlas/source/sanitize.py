"""A lesson's raw HTML, cut down to elements that cannot run, load or send anything.

An atlas may allow raw HTML in its lessons (`lessons: {allow_html: true}`), but the atlas
itself may come from anyone. Each piece of raw HTML is parsed (the standard library's
html.parser) and written out again from what was parsed: only the elements and
attributes listed here, every tag written by us, text escaped again and attribute values
quoted and escaped. So the browser reads only what this module wrote, whatever the
parser made of the input. What is left out is listed at its line, for `atlas check`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser

# Attributes any kept element may have. No `id` or `name`: an element named like one of
# the page's own scripts' globals could stand in for it ("DOM clobbering").
COMMON = frozenset({"title", "lang", "dir", "class"})
LINKS = frozenset({"href", "cite"})  # addresses the reader may follow, never loaded by the page
# Elements a lesson may use with no attributes but COMMON.
PLAIN = (
    "abbr", "b", "bdi", "bdo", "br", "caption", "code", "dd", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "mark", "p", "pre", "rp", "rt", "ruby", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "tfoot", "thead", "tr", "u", "ul", "var", "wbr",
)
# The elements a lesson may use, with the attributes each may have besides COMMON.
ELEMENTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(PLAIN, frozenset()),
    "a": frozenset({"href", "hreflang"}),
    "blockquote": frozenset({"cite"}), "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}), "ins": frozenset({"cite", "datetime"}),
    "time": frozenset({"datetime"}), "details": frozenset({"open"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "ol": frozenset({"start", "reversed", "type"}), "li": frozenset({"value"}),
    "col": frozenset({"span"}), "colgroup": frozenset({"span"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
}
VOID = frozenset({"br", "col", "hr", "img", "wbr"})

# Why an element is left out. The first groups are left out with all they hold (their
# content is script, style, another document or a form's controls); any other element
# that is not listed above loses only its tags, its text is kept.
SCRIPT = "a lesson may not run scripts"
REASONS = {
    **dict.fromkeys(("script", "noscript", "template"), SCRIPT),
    **dict.fromkeys(("style", "head", "title"), "a lesson may not change the page's styles or settings"),
    **dict.fromkeys(("iframe", "frameset", "object", "applet", "noembed", "noframes", "audio", "video", "canvas"),
                    "a lesson may not hold other pages, plug-ins or players (its maps come from '::: map' lines)"),
    **dict.fromkeys(("textarea", "select", "xmp", "plaintext"), "a lesson may not hold forms"),
    **dict.fromkeys(("svg", "math"), "a lesson may not draw SVG or MathML in the page (use a picture file)"),
}
WITH_CONTENT = frozenset(REASONS)
REASONS |= {
    "meta": "a lesson may not change the page's settings or send the reader elsewhere",
    **dict.fromkeys(("base", "link"), "a lesson may not change where the page's addresses lead or load styles"),
    **dict.fromkeys(("frame", "embed", "param", "source", "track"),
                    "a lesson may not hold other pages, plug-ins or players (its maps come from '::: map' lines)"),
    **dict.fromkeys(("form", "input", "button", "option", "optgroup", "label", "fieldset", "legend", "output",
                     "datalist", "keygen"), "a lesson may not hold forms"),
}
OTHER = "it is not one of the elements a lesson may use"
# Address schemes a link may have; a picture's address must be relative (the atlas's own file).
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True)
class Dropped:
    """Something left out of a piece of raw HTML: its line (1 for the piece's first) and why."""

    line: int
    message: str


@dataclass
class Cleaned:
    html: str = ""
    dropped: list[Dropped] = field(default_factory=list)


def clean(html: str) -> Cleaned:
    """The raw HTML with only the allowed elements and attributes, and what was left out."""
    parser = _Cleaner()
    parse_whole(parser, html)
    return Cleaned("".join(parser.out), parser.dropped)


def parse_whole(parser: HTMLParser, html: str) -> None:
    """Feed `html` to the parser in linear time. `feed` stops at a construct left open (a
    tag, a quoted attribute, a comment) and keeps the rest; `close` would then try it again
    from each `<` on, in time that grows with the square of its length (CPython's
    CVE-2025-6069: 120 KB of `<a b="` took 23 s). What is left open at the end is text."""
    parser.feed(html)
    rest, parser.rawdata = parser.rawdata, ""
    if rest:
        parser.handle_data(unescape(rest) if parser.convert_charrefs else rest)
    parser.close()


def link_allowed(value: str) -> bool:
    """An http(s) or mailto address, or one relative to the page."""
    scheme = _scheme(value)
    return scheme is None or scheme in LINK_SCHEMES


def picture_allowed(value: str) -> bool:
    """A relative address: a file of the atlas, never another site (not even `//host/…`)."""
    address = _as_browser_reads(value).replace("\\", "/")
    return _scheme(value) is None and not address.startswith("//")


def _as_browser_reads(value: str) -> str:
    """An address as a browser reads it: tabs and newlines anywhere, and controls and
    spaces around it, are ignored (so `java\\tscript:` is `javascript:`)."""
    return value.translate({9: None, 10: None, 13: None}).strip("".join(map(chr, range(33))))


def _scheme(value: str) -> str | None:
    """The address's scheme, lower case, or None if it has none (a relative address). Any
    colon before the first `/`, `?` or `#` counts as ending a scheme: that is stricter
    than browsers, never laxer."""
    address = _as_browser_reads(value).replace("\\", "/")
    head = address.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    scheme, colon, _ = head.partition(":")
    return scheme.lower() if colon else None


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropped: list[Dropped] = []
        self.skipping: str | None = None  # an element left out with its content
        self.depth = 0  # how many of it are open

    def _drop(self, message: str) -> None:
        self.dropped.append(Dropped(self.getpos()[0], message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping is not None:
            self.depth += tag == self.skipping
            return
        if tag not in ELEMENTS:
            self._drop(f"<{tag}> is left out: {REASONS.get(tag, OTHER)}")
            if tag in WITH_CONTENT:
                self.skipping, self.depth = tag, 1
            return
        self.out.append(f"<{tag}{self._attributes(tag, attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping is not None:
            return  # within an element left out, a `<tag/>` opens nothing
        self.handle_starttag(tag, attrs)
        if self.skipping == tag:  # `<svg/>` holds nothing
            self.skipping = None

    def handle_endtag(self, tag: str) -> None:
        if self.skipping is not None:
            self.depth -= tag == self.skipping
            if self.depth == 0:
                self.skipping = None
        elif tag in ELEMENTS and tag not in VOID:
            self.out.append(f"</{tag}>")

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        kept: dict[str, str] = {}
        seen: set[str] = set()
        for name, value in attrs:
            problem = (f"the second {name} attribute of <{tag}> is left out: an element has each attribute once"
                       if name in seen else _attribute_problem(tag, name, value or ""))
            seen.add(name)
            if problem:
                self._drop(problem)
            else:
                kept[name] = value or ""
        return "".join(f' {name}="{escape(value)}"' for name, value in kept.items())

    def handle_data(self, data: str) -> None:
        if self.skipping is None:
            self.out.append(escape(data, quote=False))

    # Comments are left out unreported (the reader never sees them); declarations and
    # processing instructions are reported.
    def handle_decl(self, decl: str) -> None:
        if self.skipping is None:
            self._drop(f"<!{decl[:40]}> is left out: {OTHER}")

    def unknown_decl(self, data: str) -> None:
        self.handle_decl(data)

    def handle_pi(self, data: str) -> None:
        if self.skipping is None:
            self._drop(f"<?{data[:40]}> is left out: {OTHER}")


def _attribute_problem(tag: str, name: str, value: str) -> str | None:
    """Why an attribute is left out, or None to keep it."""
    if name.startswith("on"):
        return f"the {name} attribute of <{tag}> is left out: {SCRIPT}"
    if name not in COMMON and name not in ELEMENTS[tag]:
        what = ("the page's own styles apply" if name == "style" else
                "a picture comes from the atlas itself" if name in ("srcset", "background", "poster") else
                "it is not one a lesson may use on this element")
        return f"the {name} attribute of <{tag}> is left out: {what}"
    if name in LINKS and not link_allowed(value):
        return (f"the address '{value[:80]}' of <{tag}> is left out: a link goes to a web address (http or https), "
                "an e-mail address (mailto) or a page of the atlas")
    if name == "src" and not picture_allowed(value):
        return (f"the address '{value[:80]}' of <{tag}> is left out: a picture comes from the atlas itself "
                "(an address relative to the lesson), not from another site")
    return None
