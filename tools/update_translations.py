"""Refresh the translation templates of the addon and its glue addons and merge them
into their zh_CN.po.

    bash tools/bench.sh tools/update_translations.py

Exports <addon>.pot of each addon (crm_order_management and the crm_order_management_*
glue addons) from a scratch database (all installed without demo data), then rebuilds
each i18n/zh_CN.po from it: every translation already in zh_CN.po is kept, entries gone
from the template are dropped, and the new ones are listed as MISSING (translate them in
zh_CN.po; the addons' zh_CN tests fail while any is empty).
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

PROJECT_DIR = Path(__file__).resolve().parent.parent
MODULE = "crm_order_management"
MODULES = [MODULE] + sorted(
    path.parent.name for path in PROJECT_DIR.glob(f"{MODULE}_*/__manifest__.py")
)
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
ODOO_CONF = Path(os.environ.get("ODOO_CONF", PROJECT_DIR / ".odoo" / "odoo.conf"))
DB = "crm_order_i18n"


def odoo(*args):
    subprocess.run(
        [sys.executable, ODOO_SRC / "odoo-bin", "-c", ODOO_CONF, "-d", DB, *args],
        check=True,
    )


def export_templates():
    subprocess.run(
        [sys.executable, PROJECT_DIR / "tools" / "dropdb.py", ODOO_CONF, DB], check=True
    )
    odoo(
        "-i", ",".join(MODULES), "--without-demo=all", "--stop-after-init", "--no-http"
    )
    for module in MODULES:
        i18n = PROJECT_DIR / module / "i18n"
        i18n.mkdir(exist_ok=True)
        odoo(f"--i18n-export={i18n / (module + '.pot')}", f"--modules={module}")


def merge(module, language="zh_CN"):
    i18n = PROJECT_DIR / module / "i18n"
    template = polib.pofile(str(i18n / f"{module}.pot"))
    po_path = i18n / f"{language}.po"
    if po_path.exists():
        current = polib.pofile(str(po_path))
        known = {e.msgid: e.msgstr for e in current if e.msgstr}
        header = dict(current.metadata)
    else:
        known = {}
        header = {"Language": language, "Plural-Forms": "nplurals=1; plural=0;"}
    missing = []
    for entry in template:
        entry.msgstr = known.get(entry.msgid, "")
        if not entry.msgstr:
            missing.append(entry.msgid)
    template.metadata = {
        **template.metadata,
        **{key: header[key] for key in ("Language", "Plural-Forms") if key in header},
    }
    template.save(str(po_path))
    print(
        f"{module}/i18n/{language}.po: {len(template)} entries, {len(missing)} missing"
    )
    for msgid in missing:
        print("MISSING:", repr(msgid))


if __name__ == "__main__":
    export_templates()
    for name in MODULES:
        merge(name)
