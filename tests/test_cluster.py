"""`make cluster`: two Odoo servers on a PostgreSQL primary with a hot standby as their
read replica, started from the checkout and stopped cleanly. Read-only requests are
served by the standby, writes through either server are seen by the other."""

import json
import os
import subprocess
import time
import urllib.request
import xmlrpc.client

import pytest
from conftest import PROJECT_DIR, free_port

PG_PORT = 5450
DB = "crm_order_cluster_test"


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
        "CLUSTER_ADDONS": "crm_order_management",
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
