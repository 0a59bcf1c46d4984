"""Third-party modules that another library imports eagerly but rarely uses, loaded on first use.

jsonschema (imported by nbformat, which every report export imports) imports the optional
``rfc3987_syntax`` at import time for its "iri" format checks, and rfc3987-syntax 1.1.0
builds its whole grammar when imported: 1.7 s of CPU on each ``cchc report``, for checks
that notebooks never use (jsonschema issues #1428, #1521). :func:`defer` puts a stand-in in
``sys.modules`` whose functions import the real module when first called, so nothing
changes for a caller that does use it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

__all__ = ["defer", "DEFERRED"]

# module -> the names its importers take with ``from module import name``
DEFERRED: dict[str, tuple[str, ...]] = {"rfc3987_syntax": ("is_valid_syntax",)}


def defer(module: str, names: tuple[str, ...]) -> None:
    """Stand in for ``module`` until it is used; a no-op when it is imported already or not
    installed (its importers then take their ImportError path, as without this)."""
    if module in sys.modules or importlib.util.find_spec(module) is None:
        return
    stub = types.ModuleType(module, f"Stand-in for {module}, imported on first use (cchc_lib.core.deferred).")

    def real():
        if sys.modules.get(module) is stub:
            del sys.modules[module]
        return importlib.import_module(module)

    def wrapper(name: str):
        def call(*args, **kwargs):
            return getattr(real(), name)(*args, **kwargs)

        call.__name__ = call.__qualname__ = name
        return call

    for name in names:
        setattr(stub, name, wrapper(name))

    def other(attr: str):  # anything else: the real module (PEP 562); the import system's own
        if attr.startswith("__"):  # questions (__path__, __spec__ …) do not load it
            raise AttributeError(attr)
        return getattr(real(), attr)

    stub.__getattr__ = other
    sys.modules[module] = stub


def defer_all() -> None:
    for module, names in DEFERRED.items():
        defer(module, names)
