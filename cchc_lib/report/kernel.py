"""The Python kernel a report's notebook runs in: private to one run, quiet, always cleaned up.

Every run gets its own runtime folder (``tempfile.mkdtemp``, outside the package and the
output) holding the kernel's connection file, its IPC sockets and its log. Runs at the same
time never share a socket (jupyter_client numbers IPC sockets ``kernel-ipc-1…5`` from the
first free name, which two runs starting together both pick), and a read-only package is
no obstacle. The folder is removed when the run ends, also on Ctrl-C and SIGTERM
(:func:`terminate_as_interrupt`), and a kernel process still alive then is stopped.

On Linux and macOS the kernel talks over local Unix sockets (IPC), not TCP ports: nothing
listens on the network while a report runs. Windows has no IPC transport in ZeroMQ, so
there it keeps loopback TCP. The kernel's own stdout/stderr go to ``kernel.log`` in the
runtime folder, so a kernel that fails to start shows the user one message (with the
log's last line), not its traceback.

``cchc report`` starts its kernel early (:func:`early_kernel`): the kernel boots and imports
the report's libraries on the second core while this process loads and checks the inputs,
and papermill is then handed the running kernel.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RUNTIME_PREFIX = "cchc-kernel-"
LOG_NAME = "kernel.log"
_SOCKET_PATH_MAX = 100  # sun_path is 104 bytes on macOS, 108 on Linux
_KERNELS: dict[str, list] = {}  # runtime folder -> kernel processes (subprocess.Popen) started there
# What the report's cells import, run by the kernel while it starts (IPKernelApp.exec_lines:
# no cell, no output, no execution count), so that the first cell does not wait for it.
WARM_UP = (
    "import IPython.display",
    "import cchc_lib.report.document",
    "import cchc_lib.report.charts",
    "import cchc_lib.progress.inputs",
)
# nbclient gives the kernels it starts an in-memory history (no sqlite file); the same here
HISTORY_IN_MEMORY = "--HistoryManager.hist_file=:memory:"


@contextmanager
def private_runtime() -> Iterator[Path]:
    """A fresh runtime folder for one run; removed at the end, whatever happens."""
    path = Path(tempfile.mkdtemp(prefix=RUNTIME_PREFIX))  # mode 0700: this user only
    try:
        yield path
    finally:
        stop_leftover_kernels(path)
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (``kill``, a batch scheduler stopping the job) ends the run like Ctrl-C, so
    the cleanup of the run (kernel, runtime and staging folders) happens instead of the
    process vanishing with its kernel alive. Only in the main thread, where signals land."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _use_ipc(runtime: Path) -> bool:
    return os.name == "posix" and len(str(runtime / "kernel-ipc-9")) <= _SOCKET_PATH_MAX


def kernel_manager_class(runtime: Path, cwd: str | os.PathLike | None = None) -> type:
    """An AsyncKernelManager whose connection file, sockets and log live in ``runtime``, and
    whose kernel starts in ``cwd``: given to the kernel alone, not by changing this whole
    process's working folder as papermill's own ``cwd`` does (the official report is made
    in a thread meanwhile, and relative paths must keep their meaning there)."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    ipc = _use_ipc(runtime)

    class RunKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc" if ipc else "tcp"

        @default("connection_file")
        def _default_connection_file(self) -> str:
            return str(runtime / "kernel.json")

        @default("ip")
        def _default_ip(self) -> str:
            return str(runtime / "kernel-ipc") if self.transport == "ipc" else super()._ip_default()

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if cwd is not None:
                kw["cwd"] = str(cwd)
            with open(runtime / LOG_NAME, "ab") as log:  # the child keeps its own copy of the fd
                kw.setdefault("stdout", log)
                kw.setdefault("stderr", log)
                await super()._async_launch_kernel(kernel_cmd, **kw)
            process = getattr(self.provisioner, "process", None)
            if process is not None:
                _KERNELS.setdefault(str(runtime), []).append(process)

        def client(self, **kw):
            """The client papermill makes for a kernel it was handed; remembered so that its
            sockets are closed with the kernel (nbclient leaves that to the kernel's owner)."""
            made = super().client(**kw)
            vars(self).setdefault("made_clients", []).append(made)
            return made

    return RunKernelManager


class EarlyKernel:
    """A kernel started before its notebook is known to run (``cchc report``), in its own
    private runtime folder. Handed to papermill (``km``), which then neither starts nor
    stops it: :meth:`close` does, on every path — success, bad input, a failed cell, Ctrl-C."""

    def __init__(self, cwd: str | os.PathLike, kernel_name: str = "python3", warm_up: tuple[str, ...] = WARM_UP):
        from jupyter_core.utils import run_sync

        self.runtime = Path(tempfile.mkdtemp(prefix=RUNTIME_PREFIX))
        try:
            self.km = kernel_manager_class(self.runtime, cwd)(kernel_name=kernel_name)
            args = [HISTORY_IN_MEMORY]
            if warm_up:
                args.append(f"--IPKernelApp.exec_lines={list(warm_up)!r}")
            run_sync(self.km.start_kernel)(extra_arguments=args)
        except BaseException:
            self.close()
            raise

    _stopping: threading.Thread | None = None

    def close_soon(self) -> None:
        """Stop the kernel politely in a thread once its notebook has run: the kernel takes
        about half a second to exit, which the run spends on its exports instead of waiting.
        :meth:`close` (called on every way out) waits for this to end."""
        if self._stopping is None:
            self._stopping = threading.Thread(
                target=self.close, kwargs={"graceful": True}, name="cchc-kernel-stop", daemon=True
            )
            self._stopping.start()

    def close(self, graceful: bool = False) -> None:
        """Stop the kernel (politely after a finished run, at once otherwise), close the
        client's sockets and remove the runtime folder; safe to call twice."""
        from jupyter_core.utils import run_sync

        stopping = self._stopping
        if stopping is not None and stopping is not threading.current_thread():
            stopping.join()
        km = getattr(self, "km", None)
        if km is not None:
            with contextlib.suppress(Exception):  # the kernel may be dead already; killed below
                if km.has_kernel:
                    run_sync(km.shutdown_kernel)(now=not graceful)
            for made in vars(km).pop("made_clients", []):
                with contextlib.suppress(Exception):
                    made.stop_channels()
        stop_leftover_kernels(self.runtime)
        shutil.rmtree(self.runtime, ignore_errors=True)


@contextmanager
def for_papermill(early: EarlyKernel | None, cwd: Path) -> Iterator[tuple[Path, dict]]:
    """(runtime folder, papermill's kernel arguments) for one run: the early kernel when
    there is one (stopped at the end of the block: politely, in a thread, when the run went
    through — ``early_kernel`` waits for it — at once otherwise), else a private runtime for
    the kernel papermill starts in ``cwd``."""
    if early is None:
        with private_runtime() as runtime:
            yield runtime, {"kernel_manager_class": kernel_manager_class(runtime, cwd)}
        return
    try:
        yield early.runtime, {"km": early.km}
    except BaseException:
        early.close()
        raise
    early.close_soon()  # the notebook has run: the run goes on while the kernel exits


@contextmanager
def early_kernel(cwd: str | os.PathLike | None, kernel_name: str = "python3") -> Iterator[EarlyKernel | None]:
    """An :class:`EarlyKernel` for the block (None when ``cwd`` is None: nothing to run),
    always stopped at its end; gracefully when the block finished without an error."""
    kernel = EarlyKernel(cwd, kernel_name) if cwd is not None else None
    graceful = False
    try:
        yield kernel
        graceful = True
    finally:
        if kernel is not None:
            kernel.close(graceful=graceful)


def kernel_log_tail(runtime: Path, lines: int = 1) -> str:
    """The last non-empty lines the kernel wrote (its error, when it failed to start)."""
    try:
        text = (runtime / LOG_NAME).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def stop_leftover_kernels(runtime: Path) -> None:
    """Kill a kernel that outlived its run (the run was interrupted while it started or
    stopped); nbclient has already shut down and reaped the kernel of a run that ended."""
    for process in _KERNELS.pop(str(runtime), []):
        if process.poll() is None:
            try:  # the kernel leads its own process group (jupyter_client starts a new session)
                if hasattr(os, "killpg") and os.getpgid(process.pid) == process.pid:
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
            except OSError:
                pass
            with contextlib.suppress(Exception):  # an unreaped kernel must not hide the run's own error
                process.wait(timeout=10)
