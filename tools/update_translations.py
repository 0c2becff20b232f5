"""Refresh the addon's translation template and merge it into zh_CN.po.

    bash tools/bench.sh tools/update_translations.py

Exports crm_order_management.pot from a scratch database (module installed without
demo data), then rebuilds i18n/zh_CN.po from it: every translation already in zh_CN.po
is kept, entries gone from the template are dropped, and the new ones are listed as
MISSING (translate them in zh_CN.po; test_i18n_zh_cn fails while any is empty).
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

PROJECT_DIR = Path(__file__).resolve().parent.parent
MODULE = "crm_order_management"
I18N = PROJECT_DIR / MODULE / "i18n"
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
ODOO_CONF = Path(os.environ.get("ODOO_CONF", PROJECT_DIR / ".odoo" / "odoo.conf"))
DB = "crm_order_i18n"


def odoo(*args):
    subprocess.run(
        [sys.executable, ODOO_SRC / "odoo-bin", "-c", ODOO_CONF, "-d", DB, *args],
        check=True,
    )


def export_template():
    subprocess.run(
        [sys.executable, PROJECT_DIR / "tools" / "dropdb.py", ODOO_CONF, DB], check=True
    )
    odoo("-i", MODULE, "--without-demo=all", "--stop-after-init", "--no-http")
    odoo(f"--i18n-export={I18N / (MODULE + '.pot')}", f"--modules={MODULE}")


def merge(language="zh_CN"):
    template = polib.pofile(str(I18N / f"{MODULE}.pot"))
    po_path = I18N / f"{language}.po"
    known = {e.msgid: e.msgstr for e in polib.pofile(str(po_path)) if e.msgstr}
    merged = polib.pofile(str(po_path))
    header = dict(merged.metadata)
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
    print(f"{language}.po: {len(template)} entries, {len(missing)} missing")
    for msgid in missing:
        print("MISSING:", repr(msgid))


if __name__ == "__main__":
    export_template()
    merge()
