"""Packaging of the addon, and its glue addons, as ``odoo-addon-crm_order_management``.

The wheel installs the addon into the ``odoo.addons`` namespace (``odoo/addons/
crm_order_management`` in site-packages, with every data file), so that ``pip install``
into an Odoo 18 environment makes the module appear in the Apps list without touching
``addons_path``. The top-level ``tests/`` of this repository is not part of it.
"""

import ast
from pathlib import Path

from setuptools import setup

ADDON = "crm_order_management"
HERE = Path(__file__).resolve().parent
ADDON_DIR = HERE / ADDON
MANIFEST = ast.literal_eval((ADDON_DIR / "__manifest__.py").read_text(encoding="utf-8"))
# The addon and its glue addons next to it (crm_order_management_account, ...): one
# wheel brings every addon of the repository; Odoo installs the glue addons by itself
# when the apps they join are installed (auto_install).
ADDONS = [ADDON] + sorted(
    path.parent.name for path in HERE.glob(f"{ADDON}_*/__manifest__.py")
)
SKIP_PARTS = {"__pycache__"}


def _kept(path):
    return not SKIP_PARTS.intersection(path.parts) and path.suffix not in {
        ".pyc",
        ".pyo",
    }


PACKAGES = sorted(
    ".".join(("odoo", "addons", *init.parent.relative_to(HERE).parts))
    for addon in ADDONS
    for init in (HERE / addon).rglob("__init__.py")
    if _kept(init.relative_to(HERE))
)


def _data_files(addon_dir):
    """Every other file of an addon, among them the Python scripts that are not
    modules of a package: the migration scripts (migrations/<version>/*.py)."""
    return sorted(
        str(path.relative_to(addon_dir))
        for path in addon_dir.rglob("*")
        if path.is_file()
        and _kept(path.relative_to(HERE))
        and (path.suffix != ".py" or not (path.parent / "__init__.py").exists())
    )


setup(
    name=f"odoo-addon-{ADDON}",
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    author=MANIFEST["author"],
    url=MANIFEST["website"],
    license="LGPL-3.0-or-later",
    package_dir={f"odoo.addons.{addon}": addon for addon in ADDONS},
    packages=PACKAGES,
    package_data={
        f"odoo.addons.{addon}": _data_files(HERE / addon) for addon in ADDONS
    },
    include_package_data=False,
    install_requires=["odoo>=18.0a,<18.1dev"],
    python_requires=">=3.10",
    classifiers=[
        "Programming Language :: Python",
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
    ],
    zip_safe=False,
)
