"""Serving the dashboard: Voilà (a page without code) or JupyterLab, as ``cchc explore`` does.

The notebook ``explore.ipynb`` (package data) gets the parameters injected by papermill's
own parameterizer and is written to a private temporary folder; the server runs from there.

Nobody but the person holding the printed address gets in:

* a random token on every interface (``secrets``), handed to the server through a config
  file in that private folder (not the command line, which other users can list) and printed
  in the URL (``…/?token=…``) as Jupyter does; without it the page redirects to a login form;
* the ``Host`` header is checked by Jupyter Server's own rule (``allow_remote_access`` off:
  only loopback addresses and the names in ``local_hostnames``), so a web page on another
  site cannot reach the server through DNS rebinding. A server bound to a non-local address
  for the office network is reached by names and addresses we cannot list; there the check
  is off as Jupyter Server itself does for such a binding, and the token guards it;
* Voilà never shows a traceback to a visitor (``show_tracebacks=False``).

The Voilà template ``cchc-offline`` (package data under ``jupyter/``) is Voilà's "lab"
template without its links to other hosts, so the page works in an office without internet.
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib import resources
from pathlib import Path

from cchc_lib.core import paths
from cchc_lib.core.periods import check_cutoff, parse_period
from cchc_lib.explore.export import default_out_dir
from cchc_lib.i18n import fmt

__all__ = [
    "NOTEBOOK",
    "TEMPLATE",
    "explore_command",
    "free_port",
    "jupyterlab",
    "parameterized_notebook",
    "run_server",
    "serve",
    "stop",
    "wait_until_ready",
]

NOTEBOOK = paths.notebook("explore.ipynb")
TEMPLATE = "cchc-offline"
# A Jupyter data folder shipped with the package: voila/templates/cchc-offline/.
JUPYTER_DATA = Path(str(resources.files("cchc_lib.explore").joinpath("jupyter")))


def _absolute(ref):
    """A plan/data argument that names an existing path becomes absolute (the kernel runs elsewhere)."""
    if ref is None or not isinstance(ref, (str, os.PathLike)):
        return ref
    p = Path(ref)
    return str(p.resolve()) if len(p.parts) > 1 and p.exists() else str(ref)


def _params(plan=None, data=None, period=None, cutoff=None, lang=None, out_dir=None) -> dict:
    """The parameters to inject: those given (the notebook's parameters cell has the others),
    paths made absolute, and always the export folder, resolved here."""
    given = {"plan": _absolute(plan), "data": _absolute(data), "period": period, "cutoff": cutoff, "lang": lang}
    params = {k: (str(v) if k == "period" else v) for k, v in given.items() if v is not None}
    params["out_dir"] = str(Path(out_dir).resolve()) if out_dir else str(default_out_dir())
    return params


def parameterized_notebook(params: dict, notebook=None):
    """The dashboard notebook with ``params`` injected after its ``parameters`` cell (papermill)."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(Path(notebook) if notebook else NOTEBOOK))  # papermill's metadata included
    return parameterize_notebook(nb, params, comment="Tham số do cchc explore truyền vào")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_check(host: str) -> dict:
    """Jupyter Server's Host-header settings for a server bound to ``host`` (see the module text)."""
    if _is_loopback(host):
        return {"allow_remote_access": False, "local_hostnames": ["localhost"]}
    try:
        ipaddress.ip_address(host)
    except ValueError:  # a name: that name, and this computer's own
        return {"allow_remote_access": False, "local_hostnames": ["localhost", host]}
    return {"allow_remote_access": True}


def _shown(host: str) -> str:
    """The host part of the printed URL (an IPv6 address in brackets)."""
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _env(extra_jupyter_path: Path | None = None) -> dict:
    env = os.environ.copy()
    if extra_jupyter_path is not None:
        env["JUPYTER_PATH"] = os.pathsep.join(
            [str(extra_jupyter_path)] + ([env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else [])
        )
    env.setdefault("CCHC_DATA", str(paths.data_root().resolve()))
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _voila_config(host: str, token: str) -> dict:
    """voila.json for the private folder: token, Host check, no tracebacks for visitors."""
    return {
        "Voila": {"token": token, "tornado_settings": _host_check(host)},
        "VoilaConfiguration": {"show_tracebacks": False},
    }


def serve(
    notebook=None,
    port: int = 8866,
    host: str = "127.0.0.1",
    open_browser: bool = False,
    *,
    plan=None,
    data=None,
    period=None,
    cutoff=None,
    lang=None,
    out_dir=None,
    token: str | None = None,
    quiet: bool = False,
    params: dict | None = None,
) -> subprocess.Popen:
    """Start Voilà on the dashboard notebook and return the running process.

    The page shows the dashboard only (no code) at ``proc.url``, which carries the access
    token (a new random one unless ``token`` is given; ``proc.token``). It binds to
    ``127.0.0.1`` by default, so only this computer can open it. Parameters left ``None``
    keep the notebook's defaults; ``params`` given replaces them all (another notebook's own,
    as ``cchc explore --city`` passes for ``city.ipynb``).

    The notebook (default: the package's ``explore.ipynb``) is written with the parameters
    injected into a private temporary folder (``proc.workdir``, with ``voila.json``);
    Voilà's log goes to ``proc.log_path``. Stop the server with ``stop(proc)``; nothing waits
    for it to be ready (see ``wait_until_ready``).
    """
    import nbformat

    workdir = Path(tempfile.mkdtemp(prefix="cchc-explore-"))  # private: mode 0700
    nb = parameterized_notebook(params or _params(plan, data, period, cutoff, lang, out_dir), notebook)
    nb_path = workdir / Path(notebook or NOTEBOOK).name
    nbformat.write(nb, nb_path)
    token = token or secrets.token_urlsafe(24)
    config = workdir / "voila.json"  # read from the working folder; the token stays off the command line
    config.write_text(json.dumps(_voila_config(host, token)), encoding="utf-8")
    config.chmod(0o600)
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(nb_path),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--theme=light",
        f"--Voila.open_browser={bool(open_browser)}",
    ]
    log_path = workdir / "voila.log"
    log = open(log_path, "wb")  # noqa: SIM115 — handed to the child process
    proc = subprocess.Popen(cmd, cwd=workdir, env=_env(JUPYTER_DATA), stdout=log, stderr=subprocess.STDOUT)
    log.close()
    proc.url = f"http://{_shown(host)}:{port}/?token={token}"
    proc.token, proc.workdir, proc.log_path, proc.probe = token, workdir, log_path, "/voila/static/voila.js"
    if not quiet:
        print(f"Bảng khám phá CCHC (Voilà): {proc.url}")
        if not _is_loopback(host):
            print(
                f"Cảnh báo: máy chủ nghe trên {host}; máy khác trong mạng mở được trang "
                "nếu có mã truy cập trong địa chỉ."
            )
    return proc


def jupyterlab(
    notebook=None,
    port: int = 8888,
    host: str = "127.0.0.1",
    open_browser: bool = False,
    *,
    plan=None,
    data=None,
    period=None,
    cutoff=None,
    lang=None,
    out_dir=None,
    token: str | None = None,
    quiet: bool = False,
    params: dict | None = None,
) -> subprocess.Popen:
    """Start JupyterLab on the dashboard notebook (binds to ``127.0.0.1`` by default); return the process.

    With no parameter given the package's notebook opens as it is; with parameters, a copy
    with them injected (or ``params``, as for ``serve``) is written under ``reports/explore/``
    (ignored by git) with the notebook's own name, and that one opens. ``proc.url`` (printed)
    carries the access token, which reaches the server through the environment
    (``JUPYTER_TOKEN``), not the command line. JupyterLab checks the
    ``Host`` header itself for a local binding. Stop with ``stop(proc)``.
    """
    import nbformat

    src = Path(notebook) if notebook else NOTEBOOK
    given = dict(plan=plan, data=data, period=period, cutoff=cutoff, lang=lang, out_dir=out_dir)
    if params or any(v is not None for v in given.values()):
        nb = parameterized_notebook(params or _params(**given), src)
        target = default_out_dir() / src.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        src = target
    src = src.resolve()
    root = paths.REPO_ROOT if paths.REPO_ROOT in src.parents else src.parent
    token = token or secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.ip={host}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.open_browser={bool(open_browser)}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root; JupyterLab refuses without it
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, cwd=root, env={**_env(), "JUPYTER_TOKEN": token})
    rel = src.relative_to(root).as_posix()
    proc.url = f"http://{_shown(host)}:{port}/lab/tree/{rel}?token={token}"
    proc.token, proc.workdir, proc.log_path, proc.probe = token, None, None, "/api"
    if not quiet:
        print(f"JupyterLab: {proc.url}")
    return proc


def wait_until_ready(url: str, timeout: float = 120, proc: subprocess.Popen | None = None) -> float:
    """Poll the server behind ``url`` until it answers (bounded by ``timeout`` seconds).

    Asks for a small static file (``proc.probe``; ``/api`` for JupyterLab): cheap, and it does
    not start a kernel as opening the page itself would. Returns the seconds
    waited; raises ``TimeoutError``, or ``RuntimeError`` with the log's tail if the process died.
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    probe = f"{parts.scheme}://{parts.netloc}{getattr(proc, 'probe', '/api')}"
    t0 = time.monotonic()
    while True:
        if proc is not None and proc.poll() is not None:
            tail = ""
            if getattr(proc, "log_path", None) and Path(proc.log_path).exists():
                tail = Path(proc.log_path).read_text(encoding="utf-8", errors="replace")[-3000:]
            raise RuntimeError(f"Máy chủ đã dừng (mã {proc.returncode}) trước khi sẵn sàng.\n{tail}")
        try:
            with urllib.request.urlopen(probe, timeout=5) as r:
                if r.status < 500:
                    return time.monotonic() - t0
        except urllib.error.HTTPError as e:
            if e.code < 500:
                return time.monotonic() - t0
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() - t0 > timeout:
            raise TimeoutError(f"Máy chủ {url} chưa trả lời sau {timeout:.0f} giây.")
        time.sleep(0.5)


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a server started by ``serve``/``jupyterlab`` and remove its temporary folder."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
    workdir = getattr(proc, "workdir", None)
    if workdir:
        shutil.rmtree(workdir, ignore_errors=True)


def explore_command(
    plan,
    data="",
    period="",
    cutoff: str = "nd09",
    lang: str = "vi",
    *,
    serve_page: bool = False,
    port: int | None = None,
    host: str = "127.0.0.1",
    open_browser: bool = True,
    out_dir=None,
    timeout: float = 120,
) -> int:
    """What ``cchc explore`` runs: JupyterLab on the notebook, or with ``serve_page`` the Voilà
    page; waits until it answers, opens the browser, then runs until Ctrl+C. Returns 0."""
    if period:
        parse_period(period)  # typing slips fail here, with the usual messages (exit code 2 in the CLI)
    check_cutoff(cutoff)
    fmt.check_lang(lang)
    if not data:  # resolved here, where the user's data folder is, not in the kernel's folder
        from cchc_lib.core.paths import choose_plan
        from cchc_lib.plan.model import load_plan
        from cchc_lib.progress.inputs import resolve_data

        folder, notice = resolve_data(load_plan(choose_plan(plan, None)), None)
        if notice:
            print(notice, file=sys.stderr)
        data = str(Path(folder).resolve())
    return run_server(
        serve_page,
        port,
        host,
        open_browser,
        timeout,
        plan=plan,
        data=data,
        period=period,
        cutoff=cutoff,
        lang=lang,
        out_dir=out_dir,
    )


def run_server(serve_page: bool, port, host: str, open_browser: bool, timeout: float, **start) -> int:
    """Start Voilà (``serve_page``) or JupyterLab with ``start``'s arguments, wait until it
    answers, open the browser, then run until Ctrl+C; 2 when the server's package is missing."""
    import importlib.util
    import webbrowser

    needed = "voila" if serve_page else "jupyterlab"
    if importlib.util.find_spec(needed) is None:
        print(
            f"Chưa cài gói '{needed}' trong môi trường này: chạy 'make test' (cài đủ phụ thuộc) hoặc "
            f"'pip install {needed}'.",
            file=sys.stderr,
        )
        return 2
    launch, default_port = (serve, 8866) if serve_page else (jupyterlab, 8888)
    proc = launch(port=port or default_port, host=host, **start)
    try:
        wait_until_ready(proc.url, timeout=timeout, proc=proc)
        print(f"Đã sẵn sàng: {proc.url}\nNhấn Ctrl+C để dừng.")
        if open_browser:
            webbrowser.open(proc.url)
        proc.wait()
        return 0 if proc.returncode in (0, None) else 1
    except KeyboardInterrupt:
        print("Đang dừng máy chủ…")
        return 0
    finally:
        stop(proc)
