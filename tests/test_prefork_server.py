"""A production-style server in the project's environment: the websocket (gevent)
process imports and patches as Odoo does, and a prefork server (--workers) serves
it. With gevent 22.10 and the newest zope wheels, pkg_resources could not find
'zope.interface' and the gevent process died at every start."""

import json
import subprocess
import sys
import time
import urllib.request

from conftest import ODOO_SRC, TEST_DB, OdooProcess, free_port, odoo_env


def test_gevent_process_imports_and_patches_like_odoo():
    # odoo-bin gevent: odoo/__init__.py runs gevent.monkey.patch_all() on import.
    proc = subprocess.run(
        [sys.executable, str(ODOO_SRC / "odoo-bin"), "gevent", "--version"],
        capture_output=True,
        text=True,
        env=odoo_env(),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "Odoo Server 18.0"


def health(port):
    url = f"http://127.0.0.1:{port}/websocket/health"
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
        return response.status, json.loads(response.read())


def test_prefork_server_runs_the_websocket_process():
    http_port, gevent_port = free_port(), free_port()
    log = OdooProcess("prefork-server")
    proc = subprocess.Popen(
        log.command(
            "server",
            "-d",
            TEST_DB,
            f"--db-filter=^{TEST_DB}$",
            f"--http-port={http_port}",
            f"--gevent-port={gevent_port}",
            "--workers=2",
            "--max-cron-threads=0",
        ),
        env=odoo_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 90
        while True:
            try:
                answer = health(gevent_port)
                break
            except OSError:
                assert proc.poll() is None, f"the server stopped; see {log.log}"
                assert time.time() < deadline, f"no websocket process; see {log.log}"
                time.sleep(0.5)
        assert answer == (200, {"status": "pass"})
        time.sleep(3)  # a crash-looping process would have died and restarted by now
        assert health(gevent_port) == (200, {"status": "pass"})
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert log.log_problems() == []
