"""Did-you-mean for an unknown name, in work that does not grow with the number of names.

Comparing each unknown reference with every id (difflib over all of them) is quadratic:
10,000 misspelt references in an atlas of 10,000 places were 100 million comparisons.
Here the names are indexed once by each form with one character left out, so one typo
(a letter added, dropped or changed, or two neighbours swapped) is found by looking up
the word's own such forms; failing that, a few names of about the same length and the
same first letter are compared. Either way difflib compares at most MAX_CANDIDATES names.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator

MAX_LENGTH = 64  # longer words and names are not suggested (difflib's time grows with their square)
MAX_CANDIDATES = 64  # names that difflib compares with one word, at most


def _deletions(word: str) -> set[str]:
    """The word with one character left out, each way, and the word itself."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


class Names:
    """Known names (in the order given), indexed for close matches."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(dict.fromkeys(names))
        self.rank = {name: n for n, name in enumerate(self.names)}  # (also: whether a name is known)
        self.by_deletion: defaultdict[str, list[str]] = defaultdict(list)
        self.by_start: defaultdict[tuple[str, int], list[str]] = defaultdict(list)
        for name in self.names:
            if 0 < len(name) <= MAX_LENGTH:
                for form in _deletions(name):
                    self.by_deletion[form].append(name)
                self.by_start[name[0], len(name)].append(name)

    def __contains__(self, name: object) -> bool:
        return name in self.rank

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def near(self, word: str) -> list[str]:
        """Names one typo from the word (each side with one character left out), at most
        MAX_CANDIDATES of them."""
        found: dict[str, None] = {}
        for form in sorted(_deletions(word)):
            for name in self.by_deletion.get(form, ()):
                found.setdefault(name)
                if len(found) >= MAX_CANDIDATES:
                    return list(found)
        return list(found)

    def alike(self, word: str) -> list[str]:
        """Names with the word's first letter and about its length, the nearest lengths first."""
        found: list[str] = []
        for difference in (0, 1, -1, 2, -2):
            found += self.by_start.get((word[:1], len(word) + difference), ())[:MAX_CANDIDATES - len(found)]
        return found

    def closest(self, word: str, cutoff: float = 0.6) -> str | None:
        """The known name most like the word, as difflib judges, or None."""
        if not 0 < len(word) <= MAX_LENGTH:
            return None
        for candidates in (self.near(word), self.alike(word)):
            close = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
            if close:
                return close[0]
        return None


def closest(word: str, names: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known name most like the word (names already indexed, or any few names)."""
    return (names if isinstance(names, Names) else Names(names)).closest(word, cutoff)
