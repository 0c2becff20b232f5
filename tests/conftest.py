"""Shared fixtures of the top-level tests: they drive Odoo from the outside.

pytest-odoo (``--odoo-config``/``--odoo-database``, set by ``make test``) loads the
prepared database; the fixtures here start real ``odoo-bin`` processes next to it: a
server on a free port for XML-RPC, or short-lived processes that install, upgrade and
uninstall the module.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
import xmlrpc.client
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR / "tools"))

from odoo_log import bad_lines  # noqa: E402

ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
ODOO_CONF = Path(os.environ.get("ODOO_CONF", PROJECT_DIR / ".odoo" / "odoo.conf"))
LOG_DIR = Path(os.environ.get("LOG_DIR", PROJECT_DIR / ".odoo" / "logs"))
TEST_DB = os.environ.get("ODOO_TEST_DB", "crm_order_test")
# Scratch databases get this prefix and a random suffix.
SCRATCH_DB_PREFIX = os.environ.get("ODOO_SCRATCH_DB_PREFIX", "crm_order_scratch_")
MODULE = "crm_order_management"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_env():
    env = {**os.environ, "PYTHONPATH": str(ODOO_SRC)}
    for var in ("HOST", "PORT", "USER", "PASSWORD"):
        env.pop(var, None)
    return env


class OdooProcess:
    """Runs ``odoo-bin`` with the project's configuration (or ``conf``) and checks
    its log."""

    def __init__(self, name, conf=None):
        self.log = LOG_DIR / f"{name}.log"
        self.log.unlink(missing_ok=True)
        self.conf = conf or ODOO_CONF

    def command(self, *args):
        return [
            sys.executable,
            str(ODOO_SRC / "odoo-bin"),
            *args[:1],
            "-c",
            str(self.conf),
            f"--logfile={self.log}",
            *args[1:],
        ]

    def run(self, *args, stdin=None, timeout=600):
        """Run ``odoo-bin`` to completion; ``args[0]`` may be a sub-command."""
        proc = subprocess.run(
            self.command(*args),
            input=stdin,
            text=True,
            capture_output=True,
            env=odoo_env(),
            timeout=timeout,
            check=False,
        )
        return proc

    def log_problems(self):
        return (
            bad_lines(self.log.read_text(errors="replace")) if self.log.exists() else []
        )


@pytest.fixture
def odoo_process(request):
    return OdooProcess(request.node.name)


@pytest.fixture
def scratch_db():
    """A database name that no other run uses, dropped afterwards."""
    name = f"{SCRATCH_DB_PREFIX}{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "tools" / "dropdb.py"),
            str(ODOO_CONF),
            name,
        ],
        env=odoo_env(),
        check=False,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def odoo_server():
    """A real Odoo server on a free port, serving the prepared test database."""
    port = free_port()
    proc_log = OdooProcess("xmlrpc-server")
    proc = subprocess.Popen(
        proc_log.command(
            "server",
            "-d",
            TEST_DB,
            f"--db-filter=^{TEST_DB}$",
            f"--http-port={port}",
            "--max-cron-threads=0",
            "--workers=0",
        ),
        env=odoo_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    deadline = time.time() + 120
    while True:
        try:
            common.version()
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError(f"Odoo did not start; see {proc_log.log}") from None
            time.sleep(0.5)
    yield {"url": url, "db": TEST_DB, "log": proc_log}
    proc.terminate()
    proc.wait(timeout=60)


# ------------------------------------------------------------
# XML-RPC clients
# ------------------------------------------------------------


class Client:
    """One user's XML-RPC connection: ``client(model, method, *args, **kwargs)``."""

    def __init__(self, server, login, password):
        self.db = server["db"]
        self.login = login
        self.password = password
        common = xmlrpc.client.ServerProxy(f"{server['url']}/xmlrpc/2/common")
        self.uid = common.authenticate(self.db, login, password, {})
        assert self.uid, f"cannot log in as {login}"
        self.models = xmlrpc.client.ServerProxy(
            f"{server['url']}/xmlrpc/2/object", allow_none=True
        )

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        (row,) = self(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        return row["res_id"]


USER_PASSWORD = "user-password-1"


def make_user(admin, server, group_xmlid="sales_team.group_sale_salesman"):
    """A new user of ``group_xmlid`` (created by ``admin``), logged in."""
    login = f"user-{uuid.uuid4().hex[:8]}"
    admin(
        "res.users",
        "create",
        {
            "name": f"User {login}",
            "login": login,
            "password": USER_PASSWORD,
            "groups_id": [(6, 0, [admin.ref(group_xmlid)])],
        },
    )
    return Client(server, login, USER_PASSWORD)


def create_order(client, admin, product_id, quantity):
    """A draft order of one line, created by ``client`` for a new customer."""
    partner_id = admin("res.partner", "create", {"name": f"Customer {uuid.uuid4()}"})
    return client(
        "crm.order",
        "create",
        {
            "partner_id": partner_id,
            "line_ids": [(0, 0, {"product_id": product_id, "quantity": quantity})],
        },
    )


@pytest.fixture(scope="module")
def admin(odoo_server):
    return Client(odoo_server, "admin", "admin")


@pytest.fixture(scope="module")
def salesperson(admin, odoo_server):
    """A salesperson who sees their own and unassigned orders."""
    return make_user(admin, odoo_server)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    # xmlrpc.client honours proxy variables; the servers are on loopback.
    for var in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
