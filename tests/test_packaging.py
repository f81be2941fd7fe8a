"""The package as a user installs it: pyproject.toml and the requirements files agree, and `pip install .`
gives a `seqviz` command that serves every page from any folder, the shipped checkpoints included."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from seqviz.load.protocol import open_together, run_sessions
from seqviz.ui.page import PAGES
from tests.browser.conftest import _free_port
from tests.browser.test_pages_in_browser import ROUTES

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirements(name: str) -> set[str]:
    """The requirements a file names itself (its `-r` includes are checked on their own)."""
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return {re.sub(r"\s+", "", line) for line in lines if line.strip() and not line.startswith(("#", "-r"))}


def test_pyproject_and_the_requirements_files_name_the_same_packages():
    assert set(PROJECT["dependencies"]) == requirements("requirements.txt")
    assert set(PROJECT["optional-dependencies"]["hf"]) == requirements("requirements-hf.txt")
    dev = set(PROJECT["optional-dependencies"]["dev"])
    assert dev == requirements("requirements-hf.txt") | requirements("requirements-dev.txt")


def test_every_command_points_at_a_main():
    import importlib

    for command, target in PROJECT["scripts"].items():
        module, function = target.split(":")
        assert callable(getattr(importlib.import_module(module), function)), command


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """seqviz built as a wheel."""
    where = tmp_path_factory.mktemp("wheel")
    source = where / "source"  # a copy: an in-tree build leaves build/ and *.egg-info behind, and reuses them
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "artifacts",
            "build",
            "*.egg-info",
            "__pycache__",
            "slides",
            ".pytest_cache",
            "node_modules",
        ),
    )
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(where / "wheel"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    return next((where / "wheel").glob("seqviz-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """The wheel installed (without its dependencies, which this environment has) under a prefix of its own."""
    prefix = tmp_path_factory.mktemp("install") / "prefix"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--prefix", str(prefix), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    site = next(prefix.glob("lib/python*/site-packages"))
    env = {**os.environ, "PYTHONPATH": str(site)}
    return {"prefix": prefix, "site": site, "env": env, "cwd": tmp_path_factory.mktemp("elsewhere")}


def test_the_wheel_carries_the_checkpoints_and_the_app(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {p.parent.name for p in (ROOT / "seqviz" / "checkpoints").glob("*/model.safetensors")}
    assert {
        n.split("/")[2] for n in names if n.startswith("seqviz/checkpoints/") and n.endswith("model.safetensors")
    } == shipped
    data = [n.split("/data/", 1)[1] for n in names if ".data/data/" in n]
    pages = {f"share/seqviz/pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert {"share/seqviz/app.py", "share/seqviz/.streamlit/config.toml", *pages} <= set(data), data
    assert not [n for n in names if n.startswith(("tests/", "artifacts/"))]
    snapshots = {p.relative_to(ROOT).as_posix() for p in (ROOT / "seqviz" / "checkpoints").glob("*/snapshots/*")}
    assert snapshots and snapshots <= set(names), snapshots - set(names)  # training-time weights (induction_lm)
    assets = {f"seqviz/lessons/{p.name}" for p in (ROOT / "seqviz" / "lessons").glob("html_*.*") if p.suffix != ".py"}
    assert assets and assets <= set(names), assets - set(names)  # a lesson file's template, CSS and script


@pytest.mark.load  # a server start-up and every page: with the serving tests (`make load-test`)
def test_the_installed_seqviz_command_serves_every_page_from_any_folder(installed):
    where = subprocess.run(
        [sys.executable, "-c", "import seqviz, seqviz.ui.serve as s; print(seqviz.__file__); print(s.app_folder())"],
        capture_output=True,
        text=True,
        env=installed["env"],
        cwd=installed["cwd"],
        timeout=120,
    )
    package, app = where.stdout.split()
    assert Path(package).is_relative_to(installed["site"]), "the checkout was imported, not the installed package"
    assert Path(app) == installed["prefix"] / "share" / "seqviz"

    port = _free_port()
    log = installed["cwd"] / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [
                str(installed["prefix"] / "bin" / "seqviz"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=installed["cwd"],
            env=installed["env"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        runs = run_sessions(_when_healthy(url, [(ROUTES[path], "") for path, *_ in PAGES]))
    finally:
        server.terminate()
        server.wait(20)
    for run in runs:
        assert run.finished == "FINISHED_SUCCESSFULLY" and not run.exceptions, (run, log.read_text()[-2000:])
        assert run.title.startswith("seqviz"), run
    assert "start-up done" in log.read_text()


async def _when_healthy(url: str, pages):
    import urllib.request

    for _ in range(300):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            await asyncio.sleep(0.3)
    return await open_together(url, pages, timeout_s=240)
