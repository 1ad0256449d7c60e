"""The package as a user installs it: the wheel carries the code, the bundled
scenarios, the replication template and the editor schema, and an installed
copy finds them from any working directory.

The wheel is built from a copy of the files a build reads (``sroi/``,
``scenarios/``, ``pyproject.toml``, ``README.md``, ``LICENSE``) in a
temporary folder, so a build leaves nothing in the source tree.
"""

from __future__ import annotations

import email.parser
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
#: What a build reads from the repository.
BUILD_INPUTS = ("sroi", "scenarios", "pyproject.toml", "README.md", "LICENSE")
#: Folders and files that are never part of a build.
_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


def _pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


def _files(folder: Path) -> set[str]:
    """Every file below ``folder``, as ``/``-separated paths relative to it."""
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def test_every_package_is_listed_in_pyproject() -> None:
    """The package list is written out (one package lives outside ``sroi/``),
    so a new subpackage, folder of templates or scenario folder must be added
    to it, with its data files in ``package-data``, or the wheel would lack it."""
    setuptools = _pyproject()["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    assert setuptools["package-dir"] == {"sroi.bundled": "scenarios"}
    code = {"sroi"} | {
        ".".join(p.relative_to(ROOT).parts)
        for p in (ROOT / "sroi").rglob("*")
        if p.is_dir() and "__pycache__" not in p.parts
    }
    data = {"sroi.bundled"} | {
        "sroi.bundled." + ".".join(p.relative_to(ROOT / "scenarios").parts)
        for p in (ROOT / "scenarios").rglob("*")
        if p.is_dir() and "__pycache__" not in p.parts
    }
    missing = (code | data) - listed
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"
    assert not listed - (code | data), "pyproject.toml lists packages that do not exist"
    patterns = setuptools["package-data"]
    for package in data:
        folder = ROOT / "scenarios" / Path(*package.split(".")[2:])
        files = {p.name for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".json")}
        kept = {f for f in files if any(Path(f).match(g) for g in patterns.get(package, []))}
        assert kept == files, f"add to [tool.setuptools.package-data] {package}: {files - kept}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built the way ``pip install .`` builds one (isolated build)."""
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=_JUNK)
        else:
            shutil.copy(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), "."],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = dist.glob("sroi-*.whl")
    return built


@pytest.mark.slow
def test_wheel_carries_code_data_and_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        (metadata_name,) = (n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(z.read(metadata_name).decode("utf-8"))
        info = metadata_name.rsplit("/", 1)[0]
        entry_points = z.read(f"{info}/entry_points.txt").decode("utf-8")

    code = {f"sroi/{name}" for name in _files(ROOT / "sroi")}
    assert code - names == set(), f"files under sroi/ missing from the wheel: {code - names}"
    bundled = {f"sroi/bundled/{name}" for name in _files(ROOT / "scenarios")}
    assert bundled - names == set(), f"bundled files missing from the wheel: {bundled - names}"
    for needed in (
        "sroi/bundled/__init__.py",
        "sroi/bundled/scenario.schema.json",
        "sroi/bundled/replication/new_area.yaml",
        "sroi/bundled/family_action_pss/_common.yaml",
        "sroi/bundled/family_action_pss/oxford.yaml",
        "sroi/py.typed",
        "sroi/app/templates/page.html",
        "sroi/app/static/app.css",
        "sroi/app/static/app.js",
        f"{info}/licenses/LICENSE",
    ):
        assert needed in names
    outside = {n for n in names if not n.startswith(("sroi/", f"{info}/"))}
    assert outside == set(), f"the wheel installs files outside sroi/: {outside}"

    assert metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE"
    assert metadata["Version"] == _pyproject_version()
    assert metadata["Requires-Python"] == ">=3.10"
    classifiers = metadata.get_all("Classifier") or []
    assert "Programming Language :: Python :: 3" in classifiers
    assert "Typing :: Typed" in classifiers
    # No public home yet: the metadata names no URL rather than a false one
    # (docs/contributing.md, "Where the project lives").
    assert metadata.get_all("Project-URL") is None
    assert "SROI" in metadata["Keywords"].split(",")
    assert "sroi = sroi.cli.main:console" in entry_points


def _pyproject_version() -> str:
    import sroi

    assert "version" in _pyproject()["project"]["dynamic"]
    return sroi.__version__


def _bin(env: Path, name: str) -> Path:
    """An executable in the virtual environment ``env``."""
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return env / folder / f"{name}{suffix}"


@pytest.mark.slow
def test_installed_wheel_works_from_any_folder(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Install the wheel in a fresh virtual environment and use it from a
    folder far from the source tree: ``sroi schema``, ``sroi validate`` on a
    bundled scenario, and ``sroi replicate`` (which extends the bundled
    template and compares with the bundled pilots).

    sroi itself comes from the wheel alone (``--no-deps``); its dependencies
    are borrowed from this test's environment through a path entry, so the
    test needs no network.  A path entry does not run that environment's
    ``.pth`` files, so an editable sroi there stays invisible.
    """
    env = tmp_path_factory.mktemp("venv")
    venv.create(env, with_pip=False)
    python = _bin(env, "python")
    site_packages = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site_packages, "borrowed_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    install = ["install", "--quiet", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), *install],
        check=True,
        capture_output=True,
        timeout=300,
    )
    work = tmp_path_factory.mktemp("elsewhere")
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def sroi(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(_bin(env, "sroi")), *args],
            cwd=work,
            env=environ,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"sroi {' '.join(args)} failed:\n{done.stderr}"
        return done

    installed = Path(site_packages) / "sroi" / "bundled"
    where = subprocess.run(
        [python, "-c", "import sroi; print(sroi.__file__)"],
        cwd=work,
        env=environ,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(where).parent == installed.parent, f"sroi imported from {where}, not the wheel"

    assert sroi("schema").stdout == (ROOT / "scenarios" / "scenario.schema.json").read_text(
        encoding="utf-8"
    )
    assert Path(sroi("schema", "--path").stdout.strip()) == installed / "scenario.schema.json"
    assert "ok" in sroi("validate", str(installed / "family_action_pss" / "oxford.yaml")).stdout

    sroi(
        "replicate",
        *("--area", "Riverside", "--births", "3000", "--share-referred", "1.8%"),
        *("--childrens-centre", "yes", "--management", "yes", "--it-systems", "no"),
        *("--referral-network", "no", "--public-transport", "yes"),
        *("--draws", "200", "-o", "riverside.yaml"),
    )
    written = (work / "riverside.yaml").read_text(encoding="utf-8")
    template = installed / "replication" / "new_area.yaml"
    extends = next(line for line in written.splitlines() if line.startswith("extends:"))
    assert (work / extends.split(":", 1)[1].strip()).resolve() == template.resolve()
    assert "ok" in sroi("validate", "riverside.yaml").stdout

    # The web page: its template and assets come from the wheel, and a pilot
    # site runs (through Starlette's test client; no server, no network).
    page = subprocess.run(
        [python, "-c", _APP_CHECK],
        cwd=work,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert page.returncode == 0, page.stderr
    assert page.stdout.split() == ["200", "200", "200", "oxford"]

    # ``sroi app`` itself, started as a program from the installed copy:
    # it prints its address and serves the form and its script over HTTP.
    server = subprocess.Popen(
        [str(_bin(env, "sroi")), "app", "--port", "0", "--no-browser"],
        cwd=work,
        env=environ | {"PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert found, f"sroi app printed {line!r}, not its address"
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
        with direct.open(found[1], timeout=60) as response:
            form = response.read().decode("utf-8")
        assert 'name="site"' in form and 'name="perspective"' in form
        with direct.open(found[1] + "static/app.js", timeout=60) as response:
            assert response.status == 200
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


#: Run in the installed copy: the page, its stylesheet, and a pilot site's results.
_APP_CHECK = """
import re
from starlette.testclient import TestClient
from sroi.app.server import create_app
c = TestClient(create_app(), base_url="http://127.0.0.1")
print(c.get("/").status_code, c.get("/static/app.css").status_code)
r = c.post("/", data={"site": "oxford", "draws": "200"})
print(r.status_code, re.search(r'data-scenario="(\\w+)"', r.text)[1])
"""
