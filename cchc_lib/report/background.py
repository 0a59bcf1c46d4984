"""One document made in a thread while the other is made in the main thread (``cchc report``).

While papermill runs the assessment's notebook, this process only waits for the kernel
(the kernel works on one core): the official report, built from the same loaded inputs,
is made meanwhile on the other core. A thread, not a process: it shares the inputs already
loaded and checked, and a failure comes back as the exception itself (:meth:`result`).
Ctrl-C lands in the main thread, which then :meth:`stop`\\ s this one: the work checks
``cancel`` between its steps, so nothing is published after the user stopped the run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Background:
    """``fn(*args, cancel=<Event>, **kwargs)`` running in a daemon thread from construction."""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any):
        self.cancel = threading.Event()
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(fn, args, kwargs), name=f"cchc-{getattr(fn, '__name__', 'job')}", daemon=True
        )
        self._thread.start()

    def _run(self, fn, args, kwargs) -> None:
        try:
            self._value = fn(*args, cancel=self.cancel, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread by result()
            self._error = exc

    def result(self) -> Any:
        """Wait for the work; its return value, or its exception raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value

    def stop(self) -> None:
        """Ask the work to stop at its next step and wait for it (at most one step)."""
        self.cancel.set()
        self._thread.join()
