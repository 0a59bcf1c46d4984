"""Read-only values for ``DataFrame.attrs`` that pandas shares instead of copying.

pandas deep-copies a frame's ``attrs`` into every frame or column derived from it: each
``df[col]``, each filter, each ``astype``. The loaders keep the file's header map (and the
cells already reported) there, so loading one sample year copied those dictionaries some
three thousand times, about a tenth of the time of ``Report.build``. Read-only, one copy
can be shared by every derived frame: ``deepcopy`` returns the value itself.
"""

from __future__ import annotations


class SharedMap(dict):
    """A dict that cannot change after it is made, so frames may share it."""

    def __deepcopy__(self, memo) -> SharedMap:
        return self

    def __reduce__(self):  # pickle (Dask workers) and copy rebuild it from a plain dict
        return (SharedMap, (dict(self),))

    def _read_only(self, *args, **kwargs):
        raise TypeError(type(self).__name__)  # a programming error: build a new map instead

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only


class SharedSet(frozenset):
    """A frozenset that ``deepcopy`` hands back as it is (it is immutable already)."""

    def __deepcopy__(self, memo) -> SharedSet:
        return self
