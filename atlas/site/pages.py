"""Pages from templates: the Jinja environment (the atlas's own templates first, in a
sandbox; the defaults last), the hashed static assets, and rendering with each page's
Content-Security-Policy.

`default/page.html` always names the default template, so a user's template can extend it.
All user text reaches HTML through autoescaping and JavaScript through `tojson`.
"""

from __future__ import annotations

import contextlib
import hashlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.runtime
import xstatic.pkg.leaflet
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from atlas.errors import AtlasError, Origin, Problem, display_path, printable
from atlas.site.csp import Policy
from atlas.site.i18n import translations
from atlas.source.translations import direction, lang_of
from atlas.util import files
from atlas.util.cache import cache_folder

PACKAGE = Path(__file__).parent.parent  # atlas/, where a wheel keeps its data
PACKAGE_DATA = PACKAGE / "_data"
REPO_ROOT = PACKAGE.parent


def default_templates() -> Path:
    """The default templates: packaged beside the code in a wheel, at the repo root in a checkout."""
    packaged = PACKAGE_DATA / "templates"
    return packaged if packaged.is_dir() else REPO_ROOT / "templates"


# The most a sandboxed template may make with one `*` (characters or items) or `**` (bits):
# `{{ "x" * 10**10 }}` would take the machine's memory before failing.
MAX_PRODUCT = 10_000_000
MAX_POWER_BITS = 100_000


class AtlasSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, and no paths: a template given a `Path` could read any file; and
    no `*` or `**` whose result would fill the memory."""

    intercepted_binops = frozenset({"*", "**"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath) or isinstance(value, PurePath):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and _product_size(left, right) > MAX_PRODUCT:
            raise OverflowError(f"the result of * would be too large (over {MAX_PRODUCT:,} characters or items)")
        if (operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0
                and abs(left) > 1 and right * abs(left).bit_length() > MAX_POWER_BITS):
            raise OverflowError("the result of ** would be too large")
        return super().call_binop(context, operator, left, right)


def _product_size(left: Any, right: Any) -> int:
    """How long `left * right` would be when it repeats a sequence (0 for numbers)."""
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, str | bytes | list | tuple) and isinstance(times, int):
            return len(sequence) * max(times, 0)
    return 0


class AtlasTemplates(jinja2.BaseLoader):
    """The atlas's own templates/: only regular files inside the atlas folder are read."""

    def __init__(self, source_dir: Path) -> None:
        self.source_dir = source_dir
        self.folder = source_dir / "templates"

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if not path.exists() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)
        try:
            return files.read_text(self.source_dir, path), str(path), lambda: True
        except files.Unreadable as err:
            raise AtlasError(f"{display_path(path)}:1: {err}") from err


def environment(source_dir: Path, trusted: bool = False, lang: str = "en") -> jinja2.Environment:
    """Templates are looked up in the atlas's templates/ first, the defaults last. An
    atlas's own templates are code from whoever wrote the atlas: they run in Jinja's
    sandbox unless atlas.yaml says `templates: {trusted: true}`. Their words are in the
    language `lang` (see i18n.py)."""
    defaults = jinja2.FileSystemLoader(default_templates())
    loaders: list[jinja2.BaseLoader] = []
    own = (source_dir / "templates").is_dir()
    if own:
        loaders.append(AtlasTemplates(source_dir))
    loaders += [defaults, jinja2.PrefixLoader({"default": defaults})]
    kind = AtlasSandbox if own and not trusted else jinja2.Environment
    env = kind(
        loader=jinja2.ChoiceLoader(loaders),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_compiled(kind.__name__),
    )
    env.filters["lang_attr"] = lang_attr
    # newstyle: the message's %(name)s filled in by gettext itself, and escaped.
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def lang_attr(text: object) -> Markup:
    """` lang="en" dir="ltr"` for an element whose text is the main language's, standing in
    for a translation the atlas does not have (a screen reader then reads it in the right
    voice); nothing for text in the page's own language."""
    lang = lang_of(text)
    return Markup(' lang="{}" dir="{}"').format(lang, direction(lang)) if lang else Markup("")


def _compiled(kind: str) -> jinja2.BytecodeCache | None:
    """Compiled templates, kept in the user's cache (compiling them is most of what an
    incremental build would spend): one folder for the sandbox's and one for the plain
    environment's code, which differ. Jinja checks each against its template's source."""
    folder = cache_folder() / f"templates-{kind}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None  # a read-only home: compiled each time
    return _QuietCache(str(folder))


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """A cache that cannot be written (a full disk, a read-only home) is no cache, not an error."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def hashed_assets(source_dir: Path) -> dict[str, tuple[str, bytes]]:
    """Asset name → (file name with a content hash, bytes): Leaflet and our static files,
    then the atlas's own templates/static files (each a regular file inside the atlas)."""
    found: dict[str, bytes] = {}
    leaflet = Path(xstatic.pkg.leaflet.BASE_DIR)
    found["leaflet.js"] = (leaflet / "leaflet.js").read_bytes()
    found["leaflet.css"] = (leaflet / "leaflet.css").read_bytes()
    ours = default_templates() / "static"
    found.update((path.name, path.read_bytes()) for path in sorted(ours.iterdir()) if path.is_file())
    # The page script is written in parts, one concern a file (static/js/NN-name.js),
    # joined here in the order of their names; an atlas may replace or add parts.
    parts = {path.name: path.read_bytes() for path in sorted((ours / "js").glob("*.js"))}
    theirs = source_dir / "templates" / "static"
    if theirs.is_dir():
        for path in sorted([*theirs.iterdir(), *theirs.glob("js/*.js")]):
            if path.is_dir() and not path.is_symlink():
                continue
            try:
                data = files.read_bytes(source_dir, path)
            except files.Unreadable as err:
                raise AtlasError(f"{display_path(path)}:1: {err}") from err
            problem = _static_problem(path, data)
            if problem:
                raise AtlasError(str(problem))
            (parts if path.parent.name == "js" else found)[path.name] = data
    found.setdefault("atlas.js", b"\n;\n".join(data for _, data in sorted(parts.items())))
    assets = {}
    for name, data in found.items():
        stem, dot, suffix = name.rpartition(".")
        digest = hashlib.sha256(data).hexdigest()[:10]
        assets[name] = (f"{stem}.{digest}{dot}{suffix}", data)
    return assets


@dataclass(frozen=True)
class Pages:
    """Renders pages, each with its own Content-Security-Policy (see csp.py)."""

    env: jinja2.Environment
    image_hosts: tuple[str, ...]
    own_templates: Path  # the atlas's templates/ folder: its errors are the author's
    script_files: bool = True  # the pages load script files (a single-file build's do not)

    def policy(self) -> Policy:
        return Policy(self.image_hosts, self.script_files)

    def render(self, name: str, context: dict[str, Any], policy: Policy | None = None) -> bytes:
        policy = policy or self.policy()
        try:
            html = self.env.get_template(name).render({**context, "csp": policy})
        except Exception as err:  # an author's template can raise anything ({{ 1/0 }}), or recurse
            mistake = self._mistake(err)
            if mistake is None:
                raise
            raise mistake from err
        return policy.seal(html).encode("utf-8")

    def _mistake(self, err: Exception) -> AtlasError | None:
        """An error in one of the atlas's own templates, as `templates/x.html:LINE: message`
        (None when the error lies in our default templates: that is a bug of ours)."""
        own = self.own_templates.resolve()
        frames = [(frame.filename, frame.lineno) for frame in traceback.extract_tb(err.__traceback__)
                  if frame.filename.endswith(".html") and frame.lineno is not None]  # Jinja names template frames by file
        if isinstance(err, jinja2.TemplateSyntaxError) and err.filename:
            frames.append((err.filename, err.lineno))
        theirs = [where for where in frames if own in Path(where[0]).resolve().parents]
        if not theirs:
            return None
        # The atlas's own template where it failed, or its last line on the way to a default
        # template that failed (`{% include "period.html" %}` in an index, without its context).
        where = theirs[-1]
        inner = frames[-1]
        within = f" (in the default template {Path(inner[0]).name}, line {inner[1]})" if inner != where else ""
        if isinstance(err, RecursionError):
            message = "the template includes or extends itself, without end"
        elif isinstance(err, jinja2.TemplateError):
            what = "not allowed in a sandboxed template (see SECURITY.md)" if isinstance(err, SecurityError) else ""
            message = f"{err.message or type(err).__name__}{': ' + what if what else ''}"
        else:  # {{ 1/0 }}, {{ 1 + "a" }}, wordwrap(0): Python's own words for what failed
            message = f"{type(err).__name__}: {err}"
        return AtlasError(f"{display_path(Path(where[0]))}:{where[1]}: template error: {printable(message)}{within}")


def _static_problem(path: Path, data: bytes) -> Problem | None:
    """A script or style of the atlas's templates/static that is not UTF-8 text (a page
    carries it inside, or names it as UTF-8)."""
    if path.suffix not in (".js", ".css"):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return Problem(Origin(display_path(path), line), "is not UTF-8 text: save it as UTF-8")
    return None


def template_problems(source_dir: Path) -> list[Problem]:
    """The syntax errors of the atlas's own templates, found without rendering anything,
    so that `atlas check` reports them too (mistakes that show only when a page is made,
    such as an undefined name, are reported by the build)."""
    folder = source_dir / "templates"
    if not folder.is_dir():
        return []
    env = environment(source_dir)
    problems = []
    for path in sorted(folder.rglob("*.html")):
        try:
            env.parse(files.read_text(source_dir, path), name=path.name, filename=str(path))
        except jinja2.TemplateSyntaxError as err:
            problems.append(Problem(Origin(display_path(path), err.lineno), f"template error: {err.message}"))
        except files.Unreadable:
            pass  # reported by readers.template_problems
    for path in sorted((folder / "static").rglob("*")):
        try:
            problem = _static_problem(path, files.read_bytes(source_dir, path)) if path.suffix in (".js", ".css") else None
        except files.Unreadable:
            continue  # reported by readers.template_problems
        problems += [problem] if problem else []
    return problems
