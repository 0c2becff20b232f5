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

import psycopg2
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


def test_load_integrity_check_reports_what_is_wrong(running_cluster):
    """The benchmark's integrity check is not vacuous: on the cluster's database,
    in a transaction rolled back afterwards, an order acknowledged but missing, one
    with a line and a history row fewer than acknowledged, a sales order number
    used twice and a status history row that does not follow the previous one are
    each reported, and nothing else."""
    sys.path.insert(0, str(PROJECT_DIR / "bench"))
    import bench_load

    connection = psycopg2.connect(
        host="127.0.0.1",
        port=PG_PORT,
        user=os.environ.get("PGUSER", "odoo"),
        dbname=DB,
    )
    try:
        cr = connection.cursor()
        empty = {"crm.order": {}, "sale.order": {}}
        assert bench_load.integrity_check(cr, empty) == []
        cr.execute(
            """
            SELECT o.id, o.name, o.status_id, o.create_uid,
                   (SELECT count(*) FROM crm_order_line l WHERE l.order_id = o.id),
                   (SELECT count(*) FROM crm_order_status_history h
                     WHERE h.order_id = o.id)
              FROM crm_order o ORDER BY o.id LIMIT 1
            """
        )
        order_id, name, status_id, user_id, lines, history = cr.fetchone()
        acked = {
            "crm.order": {
                order_id: {"name": name, "lines": lines + 1, "moves": history},
                -1: {"name": "NEW/2026/99999", "lines": 3, "moves": 0},
            },
            "sale.order": {},
        }
        assert bench_load.integrity_check(cr, acked) == [
            "crm.order -1 (NEW/2026/99999) is missing",
            f"crm.order {name}: {lines} lines, {lines + 1} sent",
            f"crm.order {name}: {history} history rows for {history} acknowledged "
            "moves",
        ]
        cr.execute(
            "UPDATE sale_order SET name = 'S-TWICE' WHERE id IN "
            "(SELECT id FROM sale_order ORDER BY id LIMIT 2)"
        )
        cr.execute(
            "SELECT id FROM crm_order_status WHERE id != %s ORDER BY id LIMIT 1",
            [status_id],
        )
        (other_status,) = cr.fetchone()
        cr.execute(
            """
            INSERT INTO crm_order_status_history
                (order_id, status_from_id, status_to_id, user_id, change_type, date)
            VALUES (%s, %s, %s, %s, 'user', now() AT TIME ZONE 'UTC')
            """,
            [order_id, other_status, other_status, user_id],
        )
        assert bench_load.integrity_check(cr, empty) == [
            f"crm.order {name}: status history broken at row {history + 1}",
            "sale_order: the number S-TWICE is used 2 times",
        ]
    finally:
        connection.rollback()
        connection.close()
