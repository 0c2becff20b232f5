"""Every benchmark of bench/ runs at a tiny size, so that none can rot unseen: a change
that breaks one (a new NOT NULL column its bulk fill does not give, a method it calls
that changed) fails the tests. The figures stay out of the tests: only that the run
completes and prints its table is checked."""

import subprocess
import sys
import uuid

import pytest
from conftest import ODOO_CONF, ODOO_SRC, PROJECT_DIR, odoo_env

BENCHMARKS = [
    pytest.param(
        "bench_kpi.py",
        ["--sizes", "200,400", "--rounds", "1"],
        "(seconds of each input query of the daily run, best of 1)",
        id="metrics",
    ),
    pytest.param(
        "bench_ui.py",
        ["--sizes", "200", "--rounds", "1"],
        "ratio = the web client's call / the same grouping",
        id="web-client-calls",
    ),
    pytest.param(
        "bench_order_create.py",
        ["--batch", "10", "--single", "3", "--rounds", "1"],
        "ratio = crm.order / sale.order",
        id="order-creation",
    ),
]


@pytest.mark.parametrize("script, args, last_legend", BENCHMARKS)
def test_benchmark_runs_at_a_tiny_size(script, args, last_legend):
    database = f"crm_order_bench_smoke_{uuid.uuid4().hex[:8]}"
    env = {**odoo_env(), "ODOO_SRC": str(ODOO_SRC), "ODOO_CONF": str(ODOO_CONF)}
    try:
        proc = subprocess.run(
            [sys.executable, PROJECT_DIR / "bench" / script, "--db", database, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
            check=False,
        )
    finally:
        subprocess.run(
            [sys.executable, PROJECT_DIR / "tools" / "dropdb.py", ODOO_CONF, database],
            env=env,
            check=False,
            capture_output=True,
        )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert last_legend in proc.stdout, proc.stdout[-2000:]
