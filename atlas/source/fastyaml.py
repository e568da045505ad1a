"""A fast path for reading YAML: rapidyaml (ryml), about fifty times faster than libyaml.

It is used only for files plain enough that both parsers are known to read them alike:
no anchors or aliases (no '&'), no tags ('!'), no tabs, no directives or document
markers, no complex keys ('?'), no block scalar with an indentation indicator ('|2') or
at the very end of a file without a last line break, and no run of spaces long enough to
take rapidyaml quadratic time; each of these tests is one linear pass over the text. It
makes exactly the values readers.py's libyaml walk makes, and each record's and key's
line, which rapidyaml does not report: they come from where each key's text lies in the
parsed buffer (ryml leaves its scalars in place). For anything else, and for any file
rapidyaml refuses, the answer is SLOW: the caller then reads the file with libyaml,
whose messages name the mistakes.

tests/test_fastyaml.py checks that both paths give the same records for the samples,
the default atlas and many generated files.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import functools
import itertools
import os
import re
import sys
from collections.abc import Iterator
from typing import Any

import yaml

from atlas.errors import Origin
from atlas.source.records import Lines, Record, typed

try:
    import ryml
except ImportError:  # pragma: no cover - rapidyaml is a dependency; without it, libyaml reads all
    ryml = None

SLOW = object()  # "read this file with libyaml instead"
# An anchor (&a), an alias (*a) or a tag (!t) where a node may start: after a space, a
# bracket, a comma, a colon (`{"key":*a}`, after a quoted key) or at a line's start
# ("Texas A&M" is text). Text that merely looks so ("see *this*", "10:*") takes the slow
# path too: that costs time, never correctness. Aliases are thus never read here: their
# budget (readers.py) is kept by the libyaml walk alone.
# Also: the reserved @ and `; a lone CR (a line break to YAML 1.1); and an entry ("- ")
# after a closing bracket on the same line, which libyaml refuses and rapidyaml reads.
# A lone & or * after a word and a space ("Taylor & Francis", "Chang &" at a line's end)
# is text: a node has begun, and an anchor or alias needs a name after it.
NODE_PROPERTY = re.compile(r"(?:^|[\[{,:])[&*!@`]|(?<![\w.;)\"'])\s[&*!@`]|(?<=[\w.;)\"'])\s(?:[!@`]|[&*](?=\S))"
                           r"|\r(?!\n)|[\]}][ ]*-[ ]", re.MULTILINE)
LINE_START = re.compile(r"^(%|---|\.\.\.)", re.MULTILINE)  # directives and document markers
# A complex key: '?' first on its line, then a space or the line's end. Tried only at line
# starts, and the indentation is never scanned twice (possessive): linear in the file.
COMPLEX_KEY = re.compile(r"^[^\S\n]*+\?(?:[ \r\n]|$)", re.MULTILINE)
# rapidyaml's time grows with the square of a run of spaces inside a plain text ("a    b":
# 100,000 spaces take it 4 s). Runs longer than alignment needs go to libyaml, which is linear.
SPACE_RUN = re.compile(r"\S {17}")
# A block scalar's indentation indicator (`|2`, `>-1`): rapidyaml drops the spaces of a blank
# line deeper than it says, which libyaml keeps. (Text like "a |2 b" takes the slow path too.)
BLOCK_INDENT = re.compile(r"(?:^|[ ])[|>][+-]?[1-9]", re.MULTILINE)
MAX_DEPTH = 64
# More brackets opened in a row than an atlas nests (a bracket in quoted text counts too:
# that costs time, never correctness). rapidyaml would build the whole tree of a file of
# `[[[[…` (640 MB for 4 MB) before the walk found it too deep; libyaml stops at once.
# Each try starts at an opening bracket and crosses at most MAX_DEPTH + 1 of them: linear.
FLOW_DEPTH = re.compile(r"(?:[\[{][^\[\]{}]*+)" + f"{{{MAX_DEPTH + 1}}}")
NEWLINE = re.compile(b"\n")
TOP_ITEM = re.compile(rb"^-(?:[ \r]|$)", re.MULTILINE)


class _Buffer(ctypes.Structure):
    """CPython's Py_buffer: to learn where in the parsed buffer a scalar lies."""

    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.py_object), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_Buffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_Buffer)]


_CHAR = ctypes.c_char


def _address(obj: Any) -> int:
    """Where a scalar's text lies in memory (so, in the parsed buffer, which line it is on)."""
    try:  # a writable view (the parsed buffer is a bytearray): the quick way
        return ctypes.addressof(_CHAR.from_buffer(obj))
    except (TypeError, ValueError):  # read-only, or empty
        pass
    view = _Buffer()
    if _get_buffer(obj, ctypes.byref(view), 0) != 0:
        raise ValueError("no buffer")
    try:
        return int(view.buf or 0)
    finally:
        _release_buffer(ctypes.byref(view))


_RESOLVER = yaml.resolver.Resolver()
_FIRST = _RESOLVER.yaml_implicit_resolvers  # first character → the resolvers that may apply
_STR = "tag:yaml.org,2002:str"


def _tag(text: str) -> str:
    """The tag libyaml's loader resolves a plain scalar to (PyYAML's YAML 1.1 resolver):
    text whose first character no resolver starts with is text, without trying them."""
    if text and text[0] not in _FIRST:
        return _STR
    return _known_tag(text)


@functools.lru_cache(maxsize=4096)
def _known_tag(text: str) -> str:
    return str(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]


def read(text: str, shown: str, first_line: int = 1) -> Any:
    """The file's value tree (records, lists and scalars), None for an empty file, or SLOW.
    (`first_line`: where the text starts in its file, when it is a part of one.)"""
    if ryml is None or not _plain(text):
        return SLOW
    raw = text.encode("utf-8")
    try:
        parts = [_parse(part, shown, first_line - 1 + offset) for part, offset in _parts(raw)]
    except Exception:  # rapidyaml refused the file, or read something this walk does not expect
        return SLOW
    if len(parts) == 1:
        return parts[0]
    if not all(isinstance(part, Lines) for part in parts):
        return SLOW  # a mapping with a long list at its margin: not a list of records
    whole = Lines()
    whole.lines = []
    for part in parts:
        whole.extend(part)
        whole.lines.extend(part.lines)
    return whole


# A long list of records is parsed this many at a time: rapidyaml's tree and the buffers of
# a whole large file at once would take hundreds of megabytes. Each part begins a line "- "
# (a record, by the count check in top()): no part begins inside another's record.
PART_RECORDS = 4096


def _parts(raw: bytes) -> Iterator[tuple[bytes, int]]:
    """The file in parts of PART_RECORDS records, each with the number of lines before it."""
    starts = [match.start() for match in TOP_ITEM.finditer(raw)]
    cuts = [0, *starts[PART_RECORDS::PART_RECORDS], len(raw)]
    lines = 0
    for low, high in itertools.pairwise(cuts):
        yield raw[low:high], lines
        lines += raw.count(b"\n", low, high)


def _parse(raw: bytes, shown: str, offset: int) -> Any:
    buffer = bytearray(raw)
    base = _address(buffer)
    with _quiet():
        tree = ryml.parse_in_place(buffer)
    return _Reader(tree, base, raw, shown, offset).top()


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """rapidyaml writes its parse errors to the process's standard error before raising:
    hidden, since libyaml then reads the file and names the mistake as atlas does."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as nothing:
            os.dup2(nothing.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


# What libyaml refuses to read (control characters, non-characters: it says so, with the
# line), and the line breaks of YAML 1.1 that YAML 1.2 (rapidyaml) reads as text.
NOT_YAML = re.compile("[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def _plain(text: str) -> bool:
    """Whether a file is plain enough for the fast path (see the module's docstring). Each
    test is one regular expression without nested repetition: a pass over the text."""
    return not (not text.strip() or NODE_PROPERTY.search(text) or LINE_START.search(text) or NOT_YAML.search(text)
                or COMPLEX_KEY.search(text) or SPACE_RUN.search(text) or BLOCK_INDENT.search(text)
                or FLOW_DEPTH.search(text))


# A plain scalar may not begin with one of YAML's indicators (libyaml refuses it; rapidyaml
# is more lenient, and would read "]places" as a key).
INDICATORS = frozenset("[]{},#&*!|>'\"%@`")


def _plain_scalar(text: str) -> None:
    if text and (text[0] in INDICATORS or (text[0] in "-?:" and text[1:2] in ("", " "))):
        raise ValueError("a plain scalar that begins with an indicator: libyaml reads (and refuses) it")


class _Reader:
    def __init__(self, tree: Any, base: int, raw: bytes, shown: str, offset: int = 0) -> None:
        self.tree, self.base, self.shown, self.raw, self.offset = tree, base, shown, raw, offset
        self.end = base + len(raw)
        self.newlines = [match.start() for match in NEWLINE.finditer(raw)]

    def top(self) -> Any:
        tree = self.tree
        root = tree.root_id()
        if tree.is_stream(root) or tree.is_doc(root):
            raise ValueError("a document stream: libyaml reads it")
        if not tree.is_container(root):
            raise ValueError("a lone scalar: libyaml reads it")
        top = self.value(root, 0)
        # A file's records are its lines that begin "- ": as many as rapidyaml found, or
        # the file is not the plain list of records this path is for.
        if tree.is_seq(root) and not tree.is_flow(root) and len(top) != len(TOP_ITEM.findall(self.raw)):
            raise ValueError("records that do not each begin a line")
        return top

    def line(self, view: Any) -> int:
        """The 1-based line a scalar's text starts on in the file."""
        if len(view) == 0:
            raise ValueError("an empty scalar has no place")
        at = _address(view)
        if not self.base <= at < self.end:
            raise ValueError("a scalar outside the buffer")
        return bisect.bisect_left(self.newlines, at - self.base) + 1 + self.offset  # newlines before it

    def first_line(self, node: int) -> int:
        """Where a sequence's item starts (as libyaml's start mark): its first scalar, which
        must then be on the line of any flow bracket that opens before it."""
        tree = self.tree
        nested = False
        while tree.is_seq(node):
            nested = nested or tree.is_flow(node)
            node = tree.first_child(node)
            if node == ryml.NONE:
                raise ValueError("an empty sequence")
        if tree.is_map(node):
            raise ValueError("a mapping inside a nested sequence")
        view = tree.val(node)
        if nested and not self.opens_before(view):
            raise ValueError("a flow bracket on another line than its first item")
        if not tree.is_val_plain(node):
            self.quoted_in_place(view)
        return self.line(view)

    def quoted_in_place(self, view: Any) -> None:
        """A quoted scalar's text must still start right after its quote (rapidyaml moves
        a scalar it unfolds, and its line would then be wrong); a block scalar is refused."""
        at = _address(view) - self.base - 1
        if at < 0 or self.raw[at] not in b"\"'":
            raise ValueError("a scalar that rapidyaml moved: libyaml reads it")

    def opens_before(self, view: Any) -> bool:
        """Whether the flow bracket ('{', '[') that opens before a first scalar is on its
        line: libyaml starts the collection at its bracket, and this walk at the scalar."""
        at = _address(view) - self.base - 1
        while at >= 0 and self.raw[at] in b" \"'":
            at -= 1
        return at >= 0 and self.raw[at] in b"[{"

    def value(self, node: int, depth: int) -> Any:
        tree = self.tree
        if depth > MAX_DEPTH:
            raise ValueError("too deep: libyaml's walk reports it")
        if tree.is_map(node):
            return self.record(node, depth)
        if tree.is_seq(node):
            items = Lines()
            lines = []
            child = tree.first_child(node)
            while child != ryml.NONE:
                item = self.value(child, depth + 1)
                items.append(item)
                lines.append(item.origin.line if isinstance(item, Record) else self.first_line(child))
                child = tree.next_sibling(child)
            items.lines = lines
            return items
        return self.scalar(node)

    def scalar(self, node: int) -> Any:
        tree = self.tree
        if tree.val_is_null(node) or not tree.has_val(node):
            return None
        text = bytes(tree.val(node)).decode("utf-8")
        if not tree.is_val_plain(node):
            if tree.is_val_ref(node):  # an alias the text check above missed: libyaml's walk budgets them
                raise ValueError("an alias: libyaml reads it")
            if not self.raw.endswith(b"\n") and (tree.is_val_literal(node) or tree.is_val_folded(node)):
                # At the end of a file without a last line break, rapidyaml adds one to the text.
                raise ValueError("a block scalar where the file ends: libyaml reads it")
            return text
        _plain_scalar(text)
        return typed(text, _tag(text))

    def record(self, node: int, depth: int) -> Record:
        """A mapping, starting (as libyaml's start mark) at its first key, or at the brace
        of a flow mapping, which must then be on that key's line."""
        tree = self.tree
        child = tree.first_child(node)
        if child == ryml.NONE:
            raise ValueError("an empty mapping")
        record = Record({}, Origin(self.shown, 0))
        while child != ryml.NONE:
            key_view = tree.key(child)
            if not tree.is_key_plain(child) and not tree.is_key_quoted(child):
                raise ValueError("an unusual key: libyaml reads it")
            key = bytes(key_view).decode("utf-8")
            if not tree.is_key_plain(child):
                self.quoted_in_place(key_view)
            else:
                _plain_scalar(key)
            line = self.line(key_view)
            if record.origin.line == 0:
                if tree.is_flow(node) and not self.opens_before(key_view):
                    raise ValueError("a flow mapping whose brace is on another line than its first key")
                record.origin = Origin(self.shown, line)
            if key in record.values:
                record.repeated.append((key, line))
            if tree.is_container(child):
                record.values[key] = self.value(child, depth + 1)
            else:
                value = record.values[key] = self.scalar(child)
                # The text as written; a string is its own text (kept once, not twice).
                record.texts[key] = value if isinstance(value, str) else \
                    bytes(tree.val(child)).decode("utf-8") if tree.has_val(child) else ""
            record.key_lines[key] = line
            child = tree.next_sibling(child)
        return record
