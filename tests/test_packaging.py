"""The wheel odoo-addon-crm_order_management: its contents, and Odoo finding the module
once the wheel is installed next to it, without the checkout in the addons path."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import MODULE, ODOO_SRC, PROJECT_DIR, odoo_env

PREFIX = f"odoo/addons/{MODULE}/"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    # Build from a copy so that the checkout gets no build/ or egg-info folders.
    src = tmp_path_factory.mktemp("src") / "project"
    shutil.copytree(
        PROJECT_DIR, src, ignore=shutil.ignore_patterns(".git", ".odoo", "__pycache__")
    )
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("*.whl")
    return path


def test_wheel_name_and_metadata(wheel):
    assert wheel.name == "odoo_addon_crm_order_management-18.0.2.0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        metadata = zf.read(
            "odoo_addon_crm_order_management-18.0.2.0.0.dist-info/METADATA"
        ).decode()
    assert "Name: odoo-addon-crm_order_management" in metadata
    assert "Requires-Dist: odoo<18.1dev,>=18.0a" in metadata


def test_wheel_holds_every_addon_file_and_no_top_level_tests(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = {n for n in zf.namelist() if not n.startswith("odoo_addon_")}
    # the addon and its glue addons (crm_order_management_account, ...)
    addons = [MODULE] + sorted(
        p.parent.name for p in PROJECT_DIR.glob(f"{MODULE}_*/__manifest__.py")
    )
    assert MODULE + "_account" in addons
    expected = {
        f"odoo/addons/{addon}/" + str(p.relative_to(PROJECT_DIR / addon))
        for addon in addons
        for p in (PROJECT_DIR / addon).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert names == expected
    assert PREFIX + "__manifest__.py" in names
    assert PREFIX + "static/description/icon.png" in names
    assert PREFIX + "migrations/18.0.2.0.0/post-migrate.py" in names
    assert f"odoo/addons/{MODULE}_account/__manifest__.py" in names
    # The namespace packages stay Odoo's: the wheel must not ship their __init__.py.
    assert "odoo/__init__.py" not in names and "odoo/addons/__init__.py" not in names
    assert not any(n.startswith("tests/") for n in names)


FIND_MODULE = """
import sys
from odoo.tools import config
config.parse_config(["--addons-path=%s"])
from odoo.modules import module
module.initialize_sys_path()
print(module.get_module_path("%s"))
print(module.get_manifest("%s")["version"])
""" % (ODOO_SRC / "addons", MODULE, MODULE)


def test_odoo_finds_the_installed_wheel(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True
    )
    python = venv / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            text=True,
        ).strip()
    )
    # Next to Odoo: the throwaway environment sees Odoo's source and its requirements.
    project_site = subprocess.check_output(
        [
            sys.executable,
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        text=True,
    ).strip()
    (site / "odoo-next-to.pth").write_text(f"{ODOO_SRC}\n{project_site}\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = odoo_env()
    env.pop("PYTHONPATH")
    out = subprocess.run(
        [python, "-c", FIND_MODULE],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout.split()
    assert out == [str(site / "odoo" / "addons" / MODULE), "18.0.2.0.0"]
