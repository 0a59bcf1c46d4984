"""Serving the dashboard (cchc_lib.explore.serve): the notebook and template it ships, and a real
Voilà server on 127.0.0.1 that lets in only the holder of the printed address."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from cchc_lib.explore.serve import (
    JUPYTER_DATA,
    NOTEBOOK,
    TEMPLATE,
    free_port,
    jupyterlab,
    parameterized_notebook,
    serve,
    stop,
    wait_until_ready,
)

# --- the shipped notebook and template ---------------------------------------------------------


def test_notebook_is_thin_clean_package_data():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) == 2
    assert "parameters" in code[0]["metadata"]["tags"]
    for c in code:
        assert c["outputs"] == [] and c["execution_count"] is None
    src0 = "".join(code[0]["source"])
    for name in ("plan", "data", "period", "cutoff", "lang", "out_dir"):
        assert re.search(rf"^{name} = ", src0, re.M), name
    assert "Dashboard.from_params(plan, data, period, cutoff, lang, out_dir)" in "".join(code[1]["source"])
    assert NOTEBOOK.parent.name in ("notebooks", "cchc_lib.notebooks") or NOTEBOOK.is_file()


def test_parameters_are_injected_after_the_parameters_cell_by_papermill(tmp_path):
    nb = parameterized_notebook({"period": "2024-Q3", "data": str(tmp_path), "lang": "en"})
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert tags[0] == ["parameters"] and tags[1] == ["injected-parameters"]
    injected = nb.cells[1].source
    assert 'period = "2024-Q3"' in injected and 'lang = "en"' in injected and repr(str(tmp_path))[1:-1] in injected
    assert nb.metadata["papermill"]["parameters"]["period"] == "2024-Q3"  # papermill's own record
    # run as the kernel would: the injected values win over the defaults
    scope: dict = {}
    exec(nb.cells[0].source + "\n" + injected, scope)
    assert (scope["period"], scope["lang"], scope["data"]) == ("2024-Q3", "en", str(tmp_path))


def test_offline_template_is_package_data_and_links_nothing_outside():
    root = JUPYTER_DATA / "voila" / "templates" / TEMPLATE
    index = (root / "index.html.j2").read_text(encoding="utf-8")
    assert "http" not in index and "extends 'voila/templates/lab/index.html.j2'" in index
    assert json.loads((root / "conf.json").read_text(encoding="utf-8")) == {"base_template": "lab"}


# --- a real server ----------------------------------------------------------------------------------


def _get(url: str, host: str | None = None):
    """(status, final URL, body) of a GET that does not follow redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    req = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(req, timeout=180) as r:
            return r.status, r.headers, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def served(plan, sample_progress, tmp_path_factory):
    proc = serve(
        port=free_port(),
        plan=str(plan.path),
        data=str(sample_progress.path),
        period="2024-Q2",
        lang="vi",
        out_dir=tmp_path_factory.mktemp("served"),
        quiet=True,
    )
    try:
        wait_until_ready(proc.url, timeout=120, proc=proc)
        yield proc
    finally:
        stop(proc)


@pytest.mark.slow
def test_the_printed_url_carries_a_fresh_random_token(served):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{32}", served.url)
    assert served.token in served.url
    config = json.loads((Path(served.workdir) / "voila.json").read_text(encoding="utf-8"))
    assert config["Voila"]["token"] == served.token
    assert (Path(served.workdir) / "voila.json").stat().st_mode & 0o077 == 0  # only the owner reads it
    assert served.token not in " ".join(served.args)  # not on the command line, where others can list it


@pytest.mark.slow
def test_page_without_the_token_sends_to_the_login_form(served):
    base = served.url.split("?")[0]
    status, headers, _ = _get(base)
    assert status in (302, 403)
    if status == 302:
        assert "/login" in headers["Location"]
    status, headers, _ = _get(base + "?token=wrong")
    assert status in (302, 403) and (status == 403 or "/login" in headers["Location"])


@pytest.mark.slow
def test_page_from_another_host_name_is_refused_even_with_the_token(served):
    port = served.url.split(":")[2].split("/")[0]
    status, _, body = _get(served.url, host=f"evil.example:{port}")
    assert status == 403 and "cchc-x" not in body


@pytest.mark.slow
def test_page_with_the_token_shows_the_dashboard(served):
    status, _, body = _get(served.url)
    assert status == 200 and "cchc-x" in body  # the dashboard's own CSS class: the notebook ran


@pytest.mark.slow
def test_this_computers_own_names_are_let_in(served):
    port = served.url.split(":")[2].split("/")[0]
    status, _, body = _get(served.url, host=f"localhost:{port}")
    assert status == 200 and "cchc-x" in body


@pytest.mark.slow
def test_a_failing_cell_shows_no_traceback_to_the_visitor(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "def inner_secret_name():\n    raise ValueError('chi-tiet-noi-bo')\n\ninner_secret_name()"
        )
    ]
    path = tmp_path / "fails.ipynb"
    nbformat.write(nb, path)
    proc = serve(path, port=free_port(), quiet=True)
    try:
        wait_until_ready(proc.url, timeout=120, proc=proc)
        status, _, body = _get(proc.url)
    finally:
        stop(proc)
    assert status == 200
    assert "inner_secret_name" not in body and "chi-tiet-noi-bo" not in body and "Traceback" not in body
    assert "error" in body.lower()  # Voilà still says that something failed


@pytest.mark.slow
def test_jupyterlab_needs_the_token_and_a_local_host_name():
    proc = jupyterlab(port=free_port(), quiet=True)
    try:
        wait_until_ready(proc.url, timeout=120, proc=proc)
        status_url = proc.url.split("/lab/")[0] + "/api/status"
        assert _get(status_url)[0] == 403
        assert _get(f"{status_url}?token={proc.token}")[0] == 200
        assert _get(f"{status_url}?token={proc.token}", host="evil.example")[0] == 403
        assert proc.token not in " ".join(proc.args)  # handed over in the environment
    finally:
        stop(proc)


@pytest.mark.slow
def test_every_data_file_of_the_explore_package_is_declared_package_data():
    """An installed package has the template and the styles only if pyproject.toml ships them."""
    import fnmatch
    import tomllib

    import cchc_lib.explore

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    globs = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    root = Path(cchc_lib.explore.__file__).parent
    data = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert {"static/dashboard.css", f"jupyter/voila/templates/{TEMPLATE}/index.html.j2"} <= set(data)
    for f in data:
        assert any(fnmatch.fnmatch(f, g) for g in globs["cchc_lib.explore"]), f
