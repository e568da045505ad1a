"""Quick to pickle: the incremental build's record holds tens of thousands of events.

A frozen dataclass with slots pickles through `dataclasses.fields()` at every object,
ten times slower than it needs to be. `Packed` pickles one as its class and its slots'
values, and unpickles it without running `__init__` (its values were checked when it was
made).
"""

from __future__ import annotations

from typing import Any


def _restore(cls: type[Packed], values: tuple[Any, ...]) -> Packed:
    made = object.__new__(cls)
    names: tuple[str, ...] = cls.__slots__
    for name, value in zip(names, values, strict=True):
        object.__setattr__(made, name, value)
    return made


class Packed:
    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        names: tuple[str, ...] = self.__slots__
        if not names:
            raise TypeError(f"{type(self).__name__} is Packed but has no slots: make it a dataclass with slots=True")
        return _restore, (type(self), tuple(getattr(self, name) for name in names))
