"""The repository keeps its promises: dependencies in step, README commands real."""

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# conda-forge names that differ from the PyPI names (checked on anaconda.org/conda-forge):
# conda-forge's `playwright` is the Node.js tool, its Python bindings are `playwright-python`;
# `duckdb` there is a meta-package over `python-duckdb`, the Python bindings.
CONDA_NAME = {"playwright": "playwright-python", "duckdb": "python-duckdb"}


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req.strip(), maxsplit=1)[0].lower()


def _pyproject_deps() -> set[str]:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(meta["dependencies"]) + [r for extra in meta["optional-dependencies"].values() for r in extra]
    return {CONDA_NAME.get(_name(r), _name(r)) for r in reqs}


def _environment() -> dict:
    import yaml  # installed with papermill

    return yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))


def _environment_deps() -> set[str]:
    names = {_name(d) for d in _environment()["dependencies"] if isinstance(d, str)}
    return names - {"python", "pip"}


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    py, conda = _pyproject_deps(), _environment_deps()
    assert py - conda == set(), f"in pyproject.toml only: {sorted(py - conda)}"
    assert conda - py == set(), f"in environment.yml only: {sorted(conda - py)}"


def test_environment_yml_uses_the_conda_forge_names_not_the_pypi_ones():
    conda = _environment_deps()
    for pypi, forge in CONDA_NAME.items():
        assert forge in conda and pypi not in conda, (pypi, forge)


def test_version_is_written_once_in_the_package():
    import cchc_lib

    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in meta["project"] and "version" in meta["project"]["dynamic"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cchc_lib.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", cchc_lib.__version__)
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{cchc_lib.__version__}]" in changelog and "## [Unreleased]" in changelog


def test_make_report_installs_only_the_runtime_and_ci_lints_before_testing():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    runtime = re.search(r"^\$\(RUNTIME\):.*?\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "pip install --quiet -e .\n" in runtime and "[" not in runtime
    assert re.search(r"^report: \$\(RUNTIME\)$", makefile, re.M)
    assert re.search(r"^check: \$\(TESTDEPS\)$", makefile, re.M)
    ci = [line.strip() for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert ci.index("make lint") < ci.index("make test")


def test_environment_yml_installs_the_package_in_editable_mode():
    env = _environment()
    assert env["channels"] == ["conda-forge"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip


def _quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]


def test_readme_quick_start_has_exactly_two_make_commands_that_exist():
    cmds = _quick_start_commands()
    assert len(cmds) == 2
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for cmd in cmds:
        target = cmd.split()[1]
        assert re.search(rf"^{target}:", makefile, re.M), cmd


def test_ci_runs_the_readme_test_command():
    test_cmd = _quick_start_commands()[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci.splitlines()


def test_console_script_points_at_the_cli():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["scripts"]["cchc"] == "cchc_lib.cli:main"
    assert meta["requires-python"] == ">=3.11"


def test_committed_notebooks_have_no_outputs():
    import json

    for nb_path in (REPO / "notebooks").glob("*.ipynb"):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and not cell.get("execution_count"), nb_path.name
