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
    """Runs ``odoo-bin`` with the project's configuration and checks its log."""

    def __init__(self, name):
        self.log = LOG_DIR / f"{name}.log"
        self.log.unlink(missing_ok=True)

    def command(self, *args):
        return [
            sys.executable,
            str(ODOO_SRC / "odoo-bin"),
            *args[:1],
            "-c",
            str(ODOO_CONF),
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
    name = f"crm_order_scratch_{uuid.uuid4().hex[:8]}"
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
