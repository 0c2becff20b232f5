"""End to end: the real server on a free port, reached only through xmlrpc.client."""

import re
import xmlrpc.client

from conftest import MODULE

from odoo.modules.registry import Registry


def test_version_authenticate_and_search_count(odoo_server):
    url, db = odoo_server["url"], odoo_server["db"]
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")

    version = common.version()
    assert version["server_serie"] == "18.0"

    uid = common.authenticate(db, "admin", "admin", {})
    assert uid == 2  # the admin user of every new Odoo database

    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
    installed = models.execute_kw(
        db,
        uid,
        "admin",
        "ir.module.module",
        "search_count",
        [[("name", "=", MODULE), ("state", "=", "installed")]],
    )
    assert installed == 1

    # The order count seen over XML-RPC is the one in the database.
    rpc_count = models.execute_kw(db, uid, "admin", "crm.order", "search_count", [[]])
    with Registry(db).cursor() as cr:
        cr.execute("SELECT count(*) FROM crm_order")
        (db_count,) = cr.fetchone()
    assert rpc_count == db_count
    assert rpc_count >= 80  # the demo data


def test_wrong_password_is_refused(odoo_server):
    common = xmlrpc.client.ServerProxy(f"{odoo_server['url']}/xmlrpc/2/common")
    assert (
        common.authenticate(odoo_server["db"], "admin", "not-the-password", {}) is False
    )


def test_server_log_is_clean(odoo_server):
    # Runs after the tests above in this module (file order): the server answered them.
    # Odoo echoes every refused RPC call (UserError, AccessError) as a WARNING of
    # odoo.http: those are the refusals the tests provoke. Anything else fails.
    problems = [
        line
        for line in odoo_server["log"].log_problems()
        if not re.search(r" WARNING \S+ odoo\.http: ", line)
    ]
    assert problems == []
