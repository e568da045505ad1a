"""Lessons: Markdown pages in the atlas's `lessons/` folder that embed period maps.

A map is embedded by a directive on a line of its own:

    ::: map PERIOD-ID [event=EVENT-ID] [places=PLACE-ID,PLACE-ID] [height=PIXELS]

The map marks the event and is fitted to it and to the places its questions ask about,
which it names first: on paper the names must be there without a click. A map and the
text after it, up to the next heading (its questions), are one task, kept on one sheet.
The directive is checked like any other reference (an unknown period, event or place is a
`path:line:` error). Lesson text is Markdown rendered by markdown-it-py with raw HTML
disabled, so a `<script>` in a lesson shows as text, unless atlas.yaml sets
`lessons: {allow_html: true}`. Even then the atlas may come from anyone: its raw HTML is
cut down to harmless elements (sanitize.py), and what is left out is a warning at its line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from atlas.errors import Origin, Problem, display_path
from atlas.source.model import SLUG, Atlas, Lesson, MapEmbed
from atlas.source.sanitize import clean, picture_allowed
from atlas.util import suggest

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

DIRECTIVE = re.compile(r"^:::\s*map(?:\s+(.*))?$")
ANY_DIRECTIVE = re.compile(r"^:::\s*(\S+)")
USAGE = "'::: map PERIOD-ID [event=ID] [places=ID,ID] [height=PIXELS]'"
DEFAULT_HEIGHT = 420


def read_lesson(path: Path, text: str, allow_html: bool = False, lesson_id: str = "") -> tuple[Lesson, list[Problem]]:
    """Split a lesson into Markdown and map directives; the first `# heading` is its title.
    With `allow_html`, what its raw HTML loses on the page is a warning. `lesson_id` is
    the file's stem unless given (a translation's file, `<id>.<lang>.md`, is its lesson's)."""
    shown = display_path(path)
    problems: list[Problem] = []
    lesson_id = lesson_id or path.stem
    if not SLUG.match(lesson_id):
        problems.append(Problem(Origin(shown, 1), f"lesson file name '{path.name}' is not a safe slug (e.g. 'railways.md')"))
    title: str | None = None
    begun = False  # text or a map came first: a heading is then not the title
    parts: list[str | MapEmbed] = []
    chunk: list[str] = []
    numbers: list[int] = []  # each line's of the chunk
    for number, line in enumerate(text.splitlines(), 1):
        if not begun:
            title = heading(line)
            begun = title is not None or bool(line.strip())
            if title is not None:
                continue
        directive = DIRECTIVE.match(line.strip())
        other = ANY_DIRECTIVE.match(line.strip())
        if other and not directive:
            name = other.group(1)
            hint = " (did you mean '::: map'?)" if difflib.get_close_matches(name, ["map"], n=1, cutoff=0.5) else ""
            problems.append(Problem(Origin(shown, number), f"unknown directive '::: {name}'{hint}: the only one is {USAGE}"))
            continue
        if directive:
            parts.append("\n".join(chunk))
            problems += _html_warnings(chunk, numbers, shown) if allow_html else []
            chunk, numbers = [], []
            embed = _directive(directive.group(1) or "", Origin(shown, number), problems)
            if embed:
                parts.append(embed)
        else:
            chunk.append(line)
            numbers.append(number)
    parts.append("\n".join(chunk))
    problems += _html_warnings(chunk, numbers, shown) if allow_html else []
    problems += _picture_warnings(text, shown)
    lesson = Lesson(lesson_id, title or lesson_id, Origin(shown, 1), tuple(part for part in parts if part != ""))
    return lesson, problems  # a bad directive is left out; the rest is still checked


def _html_warnings(chunk: list[str], numbers: list[int], shown: str) -> list[Problem]:
    """What the page will leave out of the raw HTML in these lines, as warnings at their lines."""
    warnings = []
    for first, html in raw_html("\n".join(chunk)):
        for dropped in clean(html).dropped:
            line = numbers[min(first + dropped.line - 1, len(numbers) - 1)]
            warnings.append(Problem(Origin(shown, line), dropped.message, warning=True))
    return warnings


def _picture_warnings(text: str, shown: str) -> list[Problem]:
    """Markdown pictures (`![alt](address)`) from another site, which the page shows as
    their alt text: opened from disk, `//host/…` would be fetched from a network share."""
    warnings = []
    for token in _markdown(False).parse(text):
        for child in token.children or () if token.type == "inline" and token.map else ():
            address = str(child.attrs.get("src", "")) if child.type == "image" else ""
            if address and not picture_allowed(address):
                line = token.map[0] + 1 if token.map else 1
                warnings.append(Problem(Origin(shown, line), f"picture '{address}' left out: a picture comes from "
                                        "the atlas's own files (its alt text is shown instead)", warning=True))
    return warnings


def raw_html(text: str) -> Iterator[tuple[int, str]]:
    """Each piece of raw HTML in Markdown text, with the line it starts on (0 the first)."""
    for token in _markdown(True).parse(text):
        if token.type == "html_block" and token.map:
            yield token.map[0], token.content
        elif token.type == "inline" and token.map and token.children:
            line = token.map[0]
            for child in token.children:
                if child.type == "html_inline":
                    yield line, child.content
                line += child.content.count("\n") + (child.type in ("softbreak", "hardbreak"))


def _markdown(allow_html: bool) -> MarkdownIt:
    """The Markdown renderer; with raw HTML, each piece is written out cleaned."""
    from markdown_it import MarkdownIt  # here: a build that renders no lesson need not import it

    markdown = MarkdownIt("commonmark", {"html": allow_html})
    markdown.add_render_rule("image", _picture)
    markdown.add_render_rule("list_item_open", _list_item)
    if allow_html:
        markdown.add_render_rule("html_block", _cleaned)
        markdown.add_render_rule("html_inline", _cleaned)
    return markdown


def _picture(renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    """A Markdown picture from the atlas's own files; one from elsewhere as its alt text."""
    token = tokens[index]
    if picture_allowed(str(token.attrs.get("src", ""))):
        return str(renderer.image(tokens, index, options, env))
    return str(escape(renderer.renderInlineAsText(token.children or [], options, env)))


def _list_item(renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    """A list item that asks something (its text has a "?") is a `question`: a printed
    worksheet gives it lines to write the answer on."""
    token = tokens[index]
    for later in tokens[index + 1:]:
        if later.type == "list_item_close" and later.level == token.level:
            break
        if later.type == "inline" and any(child.type == "text" and "?" in child.content for child in later.children or ()):
            token.attrJoin("class", "question")
            break
    return str(renderer.renderToken(tokens, index, options, env))


def _cleaned(renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    return clean(tokens[index].content).html


def heading(line: str) -> str | None:
    """The text of a `# Title` line without its closing `#`s, or None for any other line.

    String methods, not a regular expression: a line of a million spaces is read in one
    pass (a pattern with `\\s+(.+?)\\s*` tried every split of it)."""
    if not line.startswith("#") or not line[1:2].isspace():
        return None
    text = line[1:].strip()
    bare = text.rstrip("#")
    if not bare or bare[-1].isspace():  # closing #s come after a space, as in CommonMark
        text = bare.rstrip()
    return text or None


def _directive(arguments: str, origin: Origin, problems: list[Problem]) -> MapEmbed | None:
    words = arguments.split()
    if not words or "=" in words[0]:
        problems.append(Problem(origin, f"a map directive names a period: {USAGE}"))
        return None
    options: dict[str, str] = {}
    for word in words[1:]:
        key, equals, value = word.partition("=")
        if not equals or key not in ("event", "places", "height"):
            problems.append(Problem(origin, f"unknown map option '{word}' (use event=ID, places=ID,ID or height=PIXELS)"))
            return None
        options[key] = value
    places = tuple(options.get("places", "").split(",")) if "places" in options else ()
    if not all(SLUG.match(place) for place in places):
        problems.append(Problem(origin, f"map places should be place ids separated by commas, got '{options['places']}'"))
        return None
    height = DEFAULT_HEIGHT
    if "height" in options:
        if not re.fullmatch(r"[0-9]{1,5}", options["height"]) or not 150 <= int(options["height"]) <= 2000:
            wrong = options["height"]
            problems.append(Problem(origin, f"map height should be a number of pixels from 150 to 2000, got '{wrong}'"))
            return None
        height = int(options["height"])
    return MapEmbed(words[0], options.get("event"), height, origin, places)


def check_references(atlas: Atlas, broken: AbstractSet[str] = frozenset(),
                     unreadable: AbstractSet[str] = frozenset()) -> list[Problem]:
    """Every embedded map names a period of the atlas, and an event of that period.

    A period or event already reported as invalid (`broken`), or in a file that could
    not be read at all (`unreadable`), is not reported again here."""
    problems = []
    periods = {period.id: period for period in atlas.periods}
    events = {event.id: event for event in atlas.events}
    places = {place.id: place for place in atlas.places}
    period_names, event_names = suggest.Names(periods), suggest.Names(events)  # indexed once, for did-you-mean
    place_names = suggest.Names(places)
    for lesson in atlas.lessons:
        for part in lesson.parts:
            if not isinstance(part, MapEmbed):
                continue
            for place in part.places:
                if place not in places and place not in broken and "places" not in unreadable:
                    hint = place_names.closest(place)
                    problems.append(Problem(part.origin, f"map names unknown place '{place}'"
                                            + (f" (did you mean '{hint}'?)" if hint else "")))
            period = periods.get(part.period)
            if period is None:
                if part.period not in broken and "periods" not in unreadable:
                    hint = period_names.closest(part.period)
                    problems.append(Problem(part.origin, f"map names unknown period '{part.period}'"
                                            + (f" (did you mean '{hint}'?)" if hint else "")))
            elif part.event is not None and part.event not in events:
                if part.event not in broken and "events" not in unreadable:
                    hint = event_names.closest(part.event)
                    problems.append(Problem(part.origin, f"map names unknown event '{part.event}'"
                                            + (f" (did you mean '{hint}'?)" if hint else "")))
            elif part.event is not None and (when := events[part.event].date) is None:
                problems.append(Problem(part.origin, f"event '{part.event}' has no date: it is in no period, so "
                                        f"period '{part.period}' cannot show it"))
            elif part.event is not None and when is not None and not when.overlaps(period.when):
                problems.append(Problem(part.origin, f"event '{part.event}' is not in period '{part.period}'"))
    return problems


def render_lesson(lesson: Lesson, atlas: Atlas, framed: Callable[[MapEmbed], str] | None = None,
                  map_title: str = "Map: %(title)s, %(dates)s") -> Markup:
    """The lesson's body as HTML: Markdown rendered, maps as titled iframes of the embeds.

    A map and what follows it up to the next heading (its questions) are one `lesson-task`,
    which a printed worksheet keeps on one sheet. `framed`, for single-file lessons, gives
    an embed page's whole HTML to put in the iframe's `srcdoc` instead of pointing at the
    embed's file. `map_title` is a map's title for who cannot see it, in the page's language.
    """
    markdown = _markdown(atlas.info.lesson_html)
    periods = {period.id: period for period in atlas.periods}
    html = []
    task: list[str] = []  # a map and its questions, until the next heading
    for part in lesson.parts:
        if isinstance(part, MapEmbed):
            html += _task(task)
            period = periods[part.period]
            dates = period.when.display(atlas.info.language)
            task = [_embed_html(part, period.title, dates, framed(part) if framed else None,
                                map_title % {"title": period.title, "dates": dates})]
        elif task:
            questions, rest = _until_heading(part)
            html += _task([*task, markdown.render(questions)])
            task = []
            html.append(markdown.render(rest))
        else:
            html.append(markdown.render(part))
    html += _task(task)
    return Markup("\n".join(html))


def _task(parts: list[str]) -> list[str]:
    return [f'<div class="lesson-task">\n{"".join(parts)}</div>'] if parts else []


def _until_heading(text: str) -> tuple[str, str]:
    """Markdown text cut where its first heading begins."""
    for token in _markdown(False).parse(text):
        if token.type == "heading_open" and token.map:
            lines = text.splitlines(keepends=True)
            return "".join(lines[:token.map[0]]), "".join(lines[token.map[0]:])
    return text, ""


def _embed_html(embed: MapEmbed, title: str, dates: str, srcdoc: str | None, map_title: str) -> str:
    fragment = f"#{embed.event}" if embed.event else ""
    # The event is marked, not opened: its popup would cover what the questions ask about.
    query = "?lesson" + (f"&mark={embed.event}" if embed.event else "")
    query += f"&places={','.join(embed.places)}" if embed.places else ""
    source = Markup('srcdoc="{}"').format(srcdoc) if srcdoc else Markup('src="../embed/{}.html{}"').format(embed.period, query)
    return str(
        Markup('<figure class="lesson-map">'
               '<iframe {source} title="{map_title}" loading="lazy" '
               'height="{height}"></iframe>'
               '<figcaption><a href="../periods/{period}.html{fragment}">{title}</a> ({dates})</figcaption>'
               "</figure>").format(source=source, period=embed.period, fragment=fragment, title=title, dates=dates,
                                   height=embed.height, map_title=map_title)
    )
