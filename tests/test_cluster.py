"""`make cluster`: two Odoo servers on a PostgreSQL primary with a hot standby as their
read replica, started from the checkout and stopped cleanly. Read-only requests are
served by the standby, writes through either server are seen by the other. The load
benchmark (`make bench-load`) runs on it at a tiny size: Sales is installed next to
the addon for its sale.order half."""

import json
import os
import subprocess
import sys
import time
import urllib.request
import xmlrpc.client

import pytest
from conftest import PROJECT_DIR, free_port

# CLUSTER_TEST_PG_PORT: another port for a second run of these tests on one machine
PG_PORT = int(os.environ.get("CLUSTER_TEST_PG_PORT", "5450"))
DB = "crm_order_cluster_test"
ADDONS = "crm_order_management,sale"


def psql(port, sql, db="postgres"):
    return subprocess.check_output(
        [
            "psql",
            "-X",
            "-qtA",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            db,
            "-c",
            sql,
        ],
        text=True,
    ).strip()


def cluster(*args, http_port):
    env = {
        **os.environ,
        "CLUSTER_PG_PORT": str(PG_PORT),
        "CLUSTER_HTTP_PORT": str(http_port),
        "CLUSTER_DB": DB,
        "CLUSTER_ADDONS": ADDONS,
        "CLUSTER_WORKERS": "1",
    }
    return subprocess.run(
        ["bash", str(PROJECT_DIR / "tools" / "cluster.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def json_call(url, session, route, params):
    request = urllib.request.Request(
        url + route,
        data=json.dumps(
            {"jsonrpc": "2.0", "method": "call", "params": params}
        ).encode(),
        headers={"Content-Type": "application/json", "Cookie": session},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.headers.get("Set-Cookie"), json.loads(response.read())


@pytest.fixture(scope="module")
def running_cluster():
    http_port = free_port()
    proc = cluster("start", http_port=http_port)
    try:
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
        yield http_port
    finally:
        stopped = cluster("stop", "--drop", http_port=http_port)
        assert stopped.returncode == 0, stopped.stderr[-2000:]


def test_servers_replica_and_reads(running_cluster):
    http_port = running_cluster
    url_a, url_b = (f"http://127.0.0.1:{port}" for port in (http_port, http_port + 1))
    for url in (url_a, url_b):
        with urllib.request.urlopen(url + "/web/health", timeout=10) as response:  # noqa: S310
            assert response.status == 200
    assert psql(PG_PORT + 1, "SELECT pg_is_in_recovery()") == "t"
    assert psql(PG_PORT, "SELECT count(*) FROM pg_stat_replication") == "1"

    # a write through server B, read back through server A
    common = xmlrpc.client.ServerProxy(f"{url_b}/xmlrpc/2/common")
    uid = common.authenticate(DB, "admin", "admin", {})
    models_b = xmlrpc.client.ServerProxy(f"{url_b}/xmlrpc/2/object", allow_none=True)
    partner_id = models_b.execute_kw(
        DB, uid, "admin", "res.partner", "create", [{"name": "Cluster Customer"}]
    )
    order_id = models_b.execute_kw(
        DB, uid, "admin", "crm.order", "create", [{"partner_id": partner_id}]
    )

    # a read-only request of the web client through server A: served by the standby
    cookie, result = json_call(
        url_a,
        "",
        "/web/session/authenticate",
        {"db": DB, "login": "admin", "password": "admin"},
    )
    session = cookie.split(";")[0]
    deadline = time.time() + 30
    while True:
        _cookie, result = json_call(
            url_a,
            session,
            "/web/dataset/call_kw/crm.order/web_search_read",
            {
                "model": "crm.order",
                "method": "web_search_read",
                "args": [[("id", "=", order_id)]],
                "kwargs": {"specification": {"name": {}}},
            },
        )
        if result["result"]["length"] == 1 or time.time() > deadline:
            break
        time.sleep(0.5)  # replication lag
    assert result["result"]["length"] == 1, result
    assert result["result"]["records"][0]["name"].startswith("NEW/")
    connections = psql(
        PG_PORT + 1,
        f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{DB}'",
    )
    assert int(connections) >= 1


def test_load_benchmark_at_a_tiny_size(running_cluster, tmp_path):
    """bench/bench_load.py with 4 users for 15 s on the running cluster: no call
    fails, each kind of call of both halves ran, and the integrity check of the
    database passes. The figures of so short a run mean nothing and are not checked."""
    report = tmp_path / "load.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "bench" / "bench_load.py"),
            f"--pg-port={PG_PORT}",
            f"--http-port={running_cluster}",
            f"--db={DB}",
            f"--addons={ADDONS}",
            "--workers=1",
            "--users=4",
            "--spawn-rate=4",
            "--run-time=15s",
            "--keep",  # the fixture stops the cluster
            f"--json={report}",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.returncode == 0, output
    result = json.loads(report.read_text())
    assert result["problems"] == [], output
    assert result["errors"] == 0, output
    kinds = ("list", "search", "open", "create", "move", "follow-up", "metrics")
    expected = {
        f"{model} {kind}" for model in ("crm.order", "sale.order") for kind in kinds
    }
    assert {name for name, count in result["calls"].items() if count} == expected | {
        "login"
    }, output
    assert result["calls"]["login"] == 4
    assert result["acknowledged"]["crm.order"] >= 2
    assert result["acknowledged"]["sale.order"] >= 2
    assert "integrity: " in proc.stdout and ": OK" in proc.stdout, output
