"""Drop an Odoo database if it exists: ``python tools/dropdb.py ODOO_CONF NAME``.

Goes through Odoo's own service so that its filestore goes too. Needs Odoo on the
Python path (PYTHONPATH=$ODOO_SRC).
"""

import sys

from odoo.tools import config


def main(conf, name):
    config.parse_config(["-c", conf, "--log-level=warn"])
    from odoo.service import db  # noqa: PLC0415 (needs the configuration parsed)

    if db.exp_db_exist(name):
        db.exp_drop(name)


if __name__ == "__main__":
    main(*sys.argv[1:3])
