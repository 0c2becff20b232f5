"""Load benchmark: N concurrent users on the cluster, crm.order beside sale.order.

Starts the cluster of `make cluster` (two prefork Odoo servers, a PostgreSQL primary
and its hot standby as read replica) with the addon, its glue addons and Sales, creates
one salesperson per user, and runs locust headless for a bounded time: half the users
work on crm.order, half do the same mix on sale.order, all at once, spread over both
servers (bench/bench_load_locustfile.py says what each does). Then it checks the
database: every order the server acknowledged is there with its lines and its status
history, order numbers are unique, and every status history chain is consistent.
It prints requests per second, p50/p95/p99 and errors per kind of request, with the
ratio crm.order / sale.order, and exits non-zero when a request failed or the check
found a problem. Locust runs from a virtual environment of its own
(~/.cache/crm_order_management/venv-locust, from requirements-load.txt): its own pins
of Flask and Werkzeug would break Odoo's.

Run with `make bench-load` (or: tools/bench.sh bench/bench_load.py --help).
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from pathlib import Path

import psycopg2

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOCUSTFILE = PROJECT_DIR / "bench" / "bench_load_locustfile.py"
REQUIREMENTS = PROJECT_DIR / "requirements-load.txt"
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
LOCUST_VENV = Path(
    os.environ.get("LOCUST_VENV", CACHE_DIR / "crm_order_management" / "venv-locust")
)
GLUE = sorted(
    p.parent.name for p in PROJECT_DIR.glob("crm_order_management_*/__manifest__.py")
)
KINDS = ("list", "search", "open", "create", "move", "follow-up", "metrics")
MODELS = ("crm.order", "sale.order")
LEVELS = ("WARNING", "ERROR", "CRITICAL")
PASSWORD = "load-password-1"


def say(text):
    print(text, flush=True)


def locust_venv():
    """The locust of requirements-load.txt, in its own environment (built once)."""
    want = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    stamp = LOCUST_VENV / ".requirements.sha256"
    locust = LOCUST_VENV / "bin" / "locust"
    if locust.exists() and stamp.exists() and stamp.read_text().strip() == want:
        return locust
    say(f"building the locust environment in {LOCUST_VENV} (once)")
    shutil.rmtree(LOCUST_VENV, ignore_errors=True)
    base_python = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base_python, "-m", "venv", str(LOCUST_VENV)], check=True)
    pip = subprocess.run(
        [str(LOCUST_VENV / "bin" / "pip"), "install", "-q", "-r", str(REQUIREMENTS)],
        capture_output=True,
        text=True,
        check=False,
    )
    if pip.returncode:
        sys.exit(f"cannot install {REQUIREMENTS.name}:\n{pip.stdout}{pip.stderr}")
    stamp.write_text(want + "\n")
    return locust


class Cluster:
    def __init__(self, args):
        self.args = args
        self.env = {
            **os.environ,
            "CLUSTER_PG_PORT": str(args.pg_port),
            "CLUSTER_HTTP_PORT": str(args.http_port),
            "CLUSTER_DB": args.db,
            "CLUSTER_ADDONS": args.addons,
            "CLUSTER_WORKERS": str(args.workers),
        }
        self.urls = [f"http://127.0.0.1:{args.http_port + i}" for i in (0, 1)]
        self.log_dir = PROJECT_DIR / ".odoo" / "logs"

    def run(self, *command):
        subprocess.run(
            ["bash", str(PROJECT_DIR / "tools" / "cluster.sh"), *command],
            env=self.env,
            check=True,
        )

    def server_logs(self):
        return [self.log_dir / f"cluster-{self.args.http_port}-{n}.log" for n in "ab"]

    def connect(self):
        return psycopg2.connect(
            host="127.0.0.1",
            port=self.args.pg_port,
            user=os.environ.get("PGUSER", "odoo"),
            dbname=self.args.db,
        )


class Admin:
    def __init__(self, url, db):
        self.db = db
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        self.uid = common.authenticate(db, "admin", "admin", {})
        self.models = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", allow_none=True
        )

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, "admin", model, method, list(args), kwargs
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

    def ensure(self, model, domain, vals):
        found = self(model, "search", domain, limit=1)
        return found[0] if found else self(model, "create", vals)


def seed(admin, users):
    """Salespersons (All Documents), customers and products of the run; reused."""
    group = admin.ref("sales_team.group_sale_salesman_all_leads")
    logins = []
    for i in range(1, users + 1):
        login = f"load-user-{i}"
        user_id = admin.ensure(
            "res.users",
            [("login", "=", login)],
            {"name": f"Load User {i}", "login": login, "groups_id": [(4, group)]},
        )
        # an e-mail address: the sender of the chatter notes
        admin(
            "res.users",
            "write",
            [user_id],
            {"password": PASSWORD, "email": f"{login}@load.example.com"},
        )
        logins.append((login, PASSWORD))
    customers = [f"Load Customer {i:02d}" for i in range(1, 41)]
    customer_ids = [
        admin.ensure(
            "res.partner",
            [("name", "=", name)],
            {"name": name, "is_company": True, "email": f"c{i}@load.example.com"},
        )
        for i, name in enumerate(customers)
    ]
    product_ids = [
        admin.ensure(
            "product.product",
            [("default_code", "=", code)],
            {
                "name": name,
                "default_code": code,
                "list_price": price,
                "type": kind,
                "sale_ok": True,
            },
        )
        for code, name, price, kind in (
            ("LOAD-1", "Load laptop", 900.0, "consu"),
            ("LOAD-2", "Load mouse", 25.5, "consu"),
            ("LOAD-3", "Load training", 300.0, "service"),
        )
    ]
    statuses = admin(
        "crm.order.status",
        "search_read",
        [("category", "!=", "cancel")],
        fields=["id"],
    )
    return {
        "logins": logins,
        "customer_ids": customer_ids,
        "customer_names": customers,
        "product_ids": product_ids,
        "cancelled_status_id": admin.ref("crm_order_management.order_status_cancelled"),
        "cancel_reason_id": admin(
            "crm.order.cancel.reason", "search", [], limit=1, order="id"
        )[0],
        # Draft, Awaiting Payment, Awaiting Shipment, Awaiting Receipt, Completed
        "moves_to_done": len(statuses) - 1,
    }


def run_locust(args, config_path, out_dir):
    command = [
        str(locust_venv()),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        args.run_time,
        "--stop-timeout",
        "30",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
    ]
    say(f"$ {' '.join(command)}")
    with open(out_dir / "locust.log", "w") as log:
        proc = subprocess.run(
            command,
            env={**os.environ, "LOAD_CONFIG": str(config_path)},
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=3600,
            check=False,
        )
    if proc.returncode != 0:
        sys.exit(
            f"locust failed (exit {proc.returncode}); see {out_dir / 'locust.log'}"
        )


def read_acked(out_dir):
    orders = {model: {} for model in MODELS}
    for path in sorted(out_dir.glob("acked-*.jsonl")):
        for line in path.read_text().splitlines():
            record = json.loads(line)
            model_orders = orders[record["model"]]
            if record.get("event") == "move":
                model_orders[record["id"]]["moves"] += 1
            else:
                model_orders[record["id"]] = {**record, "moves": 0}
    return orders


def integrity_check(cr, orders):
    """Problems found in the database (an empty list when all is well)."""
    problems = []
    crm = orders["crm.order"]
    if crm:
        cr.execute(
            """
            SELECT o.id, o.name, o.status_id,
                   (SELECT count(*) FROM crm_order_line l WHERE l.order_id = o.id),
                   (SELECT count(*) FROM crm_order_status_history h
                     WHERE h.order_id = o.id)
              FROM crm_order o WHERE o.id = ANY(%s)
            """,
            [list(crm)],
        )
        found = {row[0]: row[1:] for row in cr.fetchall()}
        for order_id, acked in sorted(crm.items()):
            if order_id not in found:
                problems.append(f"crm.order {order_id} ({acked['name']}) is missing")
                continue
            name, _status, lines, history = found[order_id]
            if name != acked["name"]:
                problems.append(f"crm.order {order_id}: {name} != {acked['name']}")
            if lines != acked["lines"]:
                problems.append(
                    f"crm.order {name}: {lines} lines, {acked['lines']} sent"
                )
            if history != 1 + acked["moves"]:
                problems.append(
                    f"crm.order {name}: {history} history rows for "
                    f"{acked['moves']} acknowledged moves"
                )
    # every chain: the first row comes from nowhere, each row from the previous
    # row's status, the last one to the order's current status
    cr.execute(
        """
        WITH h AS (
            SELECT h.order_id, h.status_from_id, h.status_to_id,
                   lag(h.status_to_id) OVER w AS previous_to,
                   row_number() OVER w AS n,
                   count(*) OVER (PARTITION BY h.order_id) AS total
              FROM crm_order_status_history h
            WINDOW w AS (PARTITION BY h.order_id ORDER BY h.id)
        )
        SELECT o.name, h.n
          FROM h JOIN crm_order o ON o.id = h.order_id
         WHERE h.status_from_id IS DISTINCT FROM h.previous_to
            OR (h.n = h.total AND h.status_to_id != o.status_id)
        UNION ALL
        SELECT o.name, 0 FROM crm_order o
         WHERE NOT EXISTS (SELECT 1 FROM crm_order_status_history h
                            WHERE h.order_id = o.id)
        """
    )
    for name, n in cr.fetchall():
        problems.append(
            f"crm.order {name}: status history broken at row {n}"
            if n
            else f"crm.order {name}: no status history"
        )
    for table in ("crm_order", "sale_order"):
        cr.execute(
            f"SELECT company_id, name, count(*) FROM {table} "
            "GROUP BY 1, 2 HAVING count(*) > 1"
        )
        for _company, name, count in cr.fetchall():
            problems.append(f"{table}: the number {name} is used {count} times")
    sale = orders["sale.order"]
    if sale:
        cr.execute(
            """
            SELECT o.id, o.name, o.state,
                   (SELECT count(*) FROM sale_order_line l
                     WHERE l.order_id = o.id AND l.display_type IS NULL)
              FROM sale_order o WHERE o.id = ANY(%s)
            """,
            [list(sale)],
        )
        found = {row[0]: row[1:] for row in cr.fetchall()}
        for order_id, acked in sorted(sale.items()):
            if order_id not in found:
                problems.append(f"sale.order {order_id} ({acked['name']}) is missing")
                continue
            name, state, lines = found[order_id]
            if name != acked["name"]:
                problems.append(f"sale.order {order_id}: {name} != {acked['name']}")
            if lines != acked["lines"]:
                problems.append(
                    f"sale.order {name}: {lines} lines, {acked['lines']} sent"
                )
            if acked["moves"] and state != "sale":
                problems.append(f"sale.order {name}: confirmed, but {state}")
    return problems


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of a sorted list."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * fraction // 1))
    return sorted_values[int(rank) - 1]


def read_timings(out_dir):
    """The calls of the mix made once every user had logged in (logging in hashes
    the password: a few seconds of a worker each, which the first calls of the mix
    would wait behind), and the seconds from that moment to the last call."""
    rows = []
    for path in sorted(out_dir.glob("requests-*.csv")):
        for line in path.read_text().splitlines():
            name, duration, ok, stamp = line.rsplit(",", 3)
            rows.append((name, float(duration), ok == "1", float(stamp)))
    logins = [row for row in rows if row[0] == "login"]
    start = max((stamp for *_rest, stamp in logins), default=0.0)
    timings = {"login": [(duration, ok) for _n, duration, ok, _s in logins]}
    calls = {}
    for name, _duration, _ok, _stamp in rows:
        calls[name] = calls.get(name, 0) + 1
    end = start
    for name, duration, ok, stamp in rows:
        if name != "login" and stamp - duration / 1000 >= start:
            timings.setdefault(name, []).append((duration, ok))
            end = max(end, stamp)
        elif name != "login" and not ok:  # a failure during the logins still counts
            timings.setdefault(name, []).append((duration, ok))
    return timings, end - start, calls


def summary(timings, elapsed):
    """{(model, kind): {requests, rate, p50, p95, p99, errors}}."""
    rows = {}
    for name, values in timings.items():
        durations = sorted(duration for duration, _ok in values)
        rows[tuple(name.split(" ", 1)) if " " in name else (name, "")] = {
            "requests": len(values),
            "rate": len(values) / elapsed if elapsed else 0.0,
            "p50": percentile(durations, 0.50),
            "p95": percentile(durations, 0.95),
            "p99": percentile(durations, 0.99),
            "errors": sum(1 for _duration, ok in values if not ok),
        }
    for model in MODELS:
        kinds = [row for (m, _k), row in rows.items() if m == model]
        durations = sorted(
            d
            for name, values in timings.items()
            if name.startswith(model + " ")
            for d, _ok in values
        )
        rows[(model, "all")] = {
            "requests": len(durations),
            "rate": len(durations) / elapsed if elapsed else 0.0,
            "p50": percentile(durations, 0.50),
            "p95": percentile(durations, 0.95),
            "p99": percentile(durations, 0.99),
            "errors": sum(row["errors"] for row in kinds),
        }
    return rows


def print_table(rows, elapsed, users):
    empty = {
        "requests": 0,
        "rate": 0.0,
        "p50": 0.0,
        "p95": 0.0,
        "p99": 0.0,
        "errors": 0,
    }
    half = "{:>5} {:>6} {:>6} {:>6} {:>6} {:>4}"
    row_format = "{:<10} " + half + " | " + half + " | {:>5}"
    say("")
    say(
        f"{users} users for {elapsed:.0f} s once all had logged in, half on crm.order, "
        "half on sale.order; times in ms"
    )
    say(
        row_format.format(
            "kind",
            "crm",
            "req/s",
            "p50",
            "p95",
            "p99",
            "err",
            "sale",
            "req/s",
            "p50",
            "p95",
            "p99",
            "err",
            "p50 x",
        )
    )
    for kind in (*KINDS, "all"):
        crm = rows.get(("crm.order", kind), empty)
        sale = rows.get(("sale.order", kind), empty)
        ratio = f"{crm['p50'] / sale['p50']:.2f}" if crm["p50"] and sale["p50"] else "-"
        cells = []
        for row in (crm, sale):
            cells += [
                row["requests"],
                f"{row['rate']:.1f}",
                f"{row['p50']:.0f}",
                f"{row['p95']:.0f}",
                f"{row['p99']:.0f}",
                row["errors"],
            ]
        say(row_format.format(kind, *cells, ratio))
    say(
        "(p50 x = crm.order p50 / sale.order p50; move = crm.order status change or "
        "sale.order confirmation)"
    )


def server_log(paths, offsets):
    """The WARNING, ERROR and CRITICAL lines the servers logged during the run, and
    the number of transactions Odoo retried after a serialization failure (logged at
    INFO: the request then succeeded, so they are not errors)."""
    bad, retries = [], 0
    for path, offset in zip(paths, offsets, strict=True):
        if path.exists():
            with open(path, errors="replace") as log:
                log.seek(offset)
                for line in log:
                    if " tries left, try again in " in line:
                        retries += 1
                    elif any(f" {level} " in line for level in LEVELS):
                        bad.append(line.rstrip())
    return bad, retries


def transactions(cluster):
    """Transactions so far on the primary and on the standby, from PostgreSQL's
    statistics of the database: the standby's are the read-only requests."""
    counts = []
    for port in (cluster.args.pg_port, cluster.args.pg_port + 1):
        with (
            psycopg2.connect(
                host="127.0.0.1", port=port, user="postgres", dbname="postgres"
            ) as connection,
            connection.cursor() as cr,
        ):
            cr.execute(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database "
                "WHERE datname = %s",
                [cluster.args.db],
            )
            counts.append(cr.fetchone()[0])
        connection.close()
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument(
        "--spawn-rate", type=float, default=10, help="users started per second"
    )
    parser.add_argument(
        "--run-time",
        default="90s",
        help="locust's --run-time: the users log in during the first 20 s or so",
    )
    parser.add_argument(
        "--wait",
        default="0.5,1.5",
        help="seconds each user waits between calls: min,max",
    )
    parser.add_argument("--db", default=os.environ.get("CLUSTER_DB", "crm_order_load"))
    parser.add_argument(
        "--pg-port", type=int, default=int(os.environ.get("CLUSTER_PG_PORT", 5460))
    )
    parser.add_argument(
        "--http-port", type=int, default=int(os.environ.get("CLUSTER_HTTP_PORT", 8369))
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("CLUSTER_WORKERS", 2)),
        help="HTTP workers per Odoo server",
    )
    parser.add_argument(
        "--addons",
        default=os.environ.get(
            "CLUSTER_ADDONS",
            ",".join(("crm_order_management", *GLUE, "sale_management")),
        ),
    )
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    parser.add_argument(
        "--drop", action="store_true", help="delete the cluster at the end"
    )
    parser.add_argument(
        "--json", help="also write the figures and problems to this file"
    )
    args = parser.parse_args()

    locust_venv()  # first: pip may need a proxy that the calls below must not use
    for var in (
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ):
        os.environ.pop(var, None)  # the servers are on loopback
    cluster = Cluster(args)
    out_dir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    failed = True
    try:
        started = time.time()
        cluster.run("start")
        say(f"cluster ready in {time.time() - started:.0f} s")
        admin = Admin(cluster.urls[0], args.db)
        config = seed(admin, args.users)
        config.update(
            urls=cluster.urls,
            db=args.db,
            out_dir=str(out_dir),
            wait=[float(x) for x in args.wait.split(",")],
        )
        config_path = out_dir / "config.json"
        config_path.write_text(json.dumps(config))
        logs = cluster.server_logs()
        offsets = [path.stat().st_size if path.exists() else 0 for path in logs]
        before = transactions(cluster)
        run_locust(args, config_path, out_dir)
        after = transactions(cluster)
        primary, standby = (b - a for a, b in zip(before, after, strict=True))
        orders = read_acked(out_dir)
        with cluster.connect() as connection, connection.cursor() as cr:
            problems = integrity_check(cr, orders)
        connection.close()
        timings, elapsed, calls = read_timings(out_dir)
        rows = summary(timings, elapsed)
        print_table(rows, elapsed, args.users)
        errors = sum(row["errors"] for (_m, kind), row in rows.items() if kind != "all")
        bad_lines, retries = server_log(logs, offsets)
        problems += [f"Odoo log: {line}" for line in bad_lines]
        say(
            f"PostgreSQL transactions: {primary} on the primary, {standby} on the "
            f"standby ({standby / max(primary + standby, 1):.0%}); "
            f"{retries} retried by Odoo after a serialization failure"
        )
        say("")
        say(
            f"integrity: {len(orders['crm.order'])} crm.order and "
            f"{len(orders['sale.order'])} sale.order acknowledged, "
            f"{sum(o['moves'] for o in orders['crm.order'].values())} status moves and "
            f"{sum(o['moves'] for o in orders['sale.order'].values())} confirmations: "
            + ("OK" if not problems else f"{len(problems)} PROBLEM(S)")
        )
        for problem in problems[:50]:
            say("  " + problem)
        say(f"errors: {errors}")
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "elapsed": elapsed,
                        "rows": [
                            {"model": m, "kind": k, **row}
                            for (m, k), row in rows.items()
                        ],
                        "calls": calls,
                        "transactions": {"primary": primary, "standby": standby},
                        "retries": retries,
                        "acknowledged": {m: len(o) for m, o in orders.items()},
                        "problems": problems,
                        "errors": errors,
                    },
                    indent=1,
                )
            )
        failed = bool(problems or errors)
    finally:
        if not args.keep:
            cluster.run("stop", *(["--drop"] if args.drop else []))
        if failed:
            say(f"(the run's files are kept in {out_dir})")
        else:
            shutil.rmtree(out_dir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
