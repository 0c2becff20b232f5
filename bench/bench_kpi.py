"""Order metrics speed: the daily scheduled action and a 24-month recomputation.

Creates a throwaway database with crm_order_management (no demo data), then grows it
to 10,000, 100,000 and 1,000,000 orders (by default) spread over the last two years,
each with 3 lines, its status history and, for half of them, 2 tracking events;
about 30% of the completed orders are rated. At each size it times, in-process
through the ORM as the superuser:

- the daily scheduled action, ``crm.order.kpi._cron_compute_snapshots()`` (the
  current and previous day, week and month, a previous one only while it is not
  settled): best of N runs, each in its own transaction, rolled back afterwards so
  that every run sees the same data and the same snapshots;
- the same daily run as on the last day of the previous month
  (``_compute_daily``), when the current month holds the most days and the
  month before it is settled, beside that day's six periods all recomputed (the
  baseline: the daily run before settled periods were skipped);
- the recomputation of 24 months (``today - 24 months`` to today, days, weeks and
  months), once: the batch computation ``_compute_snapshots`` called directly on
  each batch of RECOMPUTE_BATCH periods, committing after each one, as the
  scheduled action that runs a queued ``recompute_range`` does (the cron runner
  commits between its calls); its snapshots stay in the database. Going through
  ``recompute_range`` would only queue the range and time the queueing.

It prints the times and how they grow from one size to the next, next to the growth
of the orders, of all of them and of those dated in the periods the daily run
computes, then the time of each of the four input queries of the daily run.

Filling uses bulk SQL (one ``INSERT ... SELECT generate_series`` per table and size
step), not the ORM: creating a million orders through ``crm.order.create()`` (with
numbering, type choice, status history, mail tracking) would take hours, and the
benchmark measures the metric engine, not order creation (bench_order_create.py
does that). The rows are written as the ORM would leave them: stored related and
computed columns (commercial entity, currency, status category, amounts, line
company and currency) are filled, each order's dates follow its status history
(Draft, then Awaiting Payment ... Completed, or Cancelled from any of them), and
nothing lies in the future. Only users, products and the company come from the
ORM. The tables are vacuumed and analysed after each fill, as autovacuum would.

Run with `make bench-kpi` (or: tools/bench.sh bench/bench_kpi.py).
"""

import argparse
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg2
from dateutil.relativedelta import relativedelta

import odoo
from odoo.sql_db import connection_info_for
from odoo.tools import SQL, config

PROJECT_DIR = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
ODOO_CONF = Path(os.environ.get("ODOO_CONF", PROJECT_DIR / ".odoo" / "odoo.conf"))

MODULE = "crm_order_management"
PARTNER_REF = "KPI-BENCH"
ORDERS_PER_CUSTOMER = 20
USER_COUNT = 20
DAYS = 730
CHAIN = (
    "order_status_draft",
    "order_status_awaiting_payment",
    "order_status_awaiting_shipment",
    "order_status_awaiting_receipt",
    "order_status_completed",
)
TYPES = (
    "order_type_new",
    "order_type_returning",
    "order_type_recurring",
    "order_type_competitor",
)
KINDS = ("call", "email", "meeting", "delivery_check", "other")
PRODUCTS = (
    ("KPI laptop", "consu", 900.0),
    ("KPI mouse", "consu", 25.5),
    ("KPI screen", "consu", 240.0),
    ("KPI keyboard", "consu", 49.9),
    ("KPI printer", "consu", 310.0),
    ("KPI after-sales", "service", 80.0),
    ("KPI support", "service", 120.0),
    ("KPI training", "service", 300.0),
)
TABLES = (
    "res_partner",
    "crm_order",
    "crm_order_line",
    "crm_order_status_history",
    "crm_order_tracking",
)
AUDIT = ("create_uid", "create_date", "write_uid", "write_date")

# One statement per table and size step. Parameters: see Filler.params().
INSERT_PARTNERS = """
INSERT INTO res_partner (id, name, complete_name, commercial_partner_id, ref, lang,
                         type, active, is_company, partner_share, create_uid,
                         create_date, write_uid, write_date)
SELECT id, 'KPI customer ' || id, 'KPI customer ' || id, id, %(ref)s, 'en_US',
       'contact', true, true, true, 1, %(now)s, 1, %(now)s
  FROM (SELECT nextval('res_partner_id_seq') AS id
          FROM generate_series(1, %(partners)s)) AS new
"""

# Each order gets a gap between two status changes (4 to 72 hours) and a fate: 78%
# are completed, 12% cancelled after 0 to 3 steps, 10% stop in draft or open. The
# fate is cut short by the present: an order of yesterday has not gone far yet.
INSERT_ORDERS = """
WITH customer AS (
    SELECT id, row_number() OVER (ORDER BY id) AS n
      FROM res_partner WHERE ref = %(ref)s
), drawn AS (
    -- Ids follow the order dates, as when orders are created day after day.
    SELECT nextval('crm_order_id_seq') AS id, dated.*
      FROM (SELECT %(now)s::timestamp - random() * interval '1 day' * %(days)s
                   AS date_order,
                   interval '1 hour' * (4 + random() * 68) AS gap,
                   random() AS fate, random() AS step, random() AS rated,
                   random() AS stars, random() AS delay, random() AS who,
                   random() AS pick
              FROM generate_series(1, %(orders)s)
             ORDER BY 1) AS dated
), planned AS (
    SELECT drawn.*,
           CASE WHEN fate < 0.78 THEN 4
                WHEN fate < 0.90 THEN 1 + floor(step * 4)::int
                ELSE floor(step * 4)::int END AS planned_steps,
           fate >= 0.78 AND fate < 0.90 AS cancelling,
           floor(extract(epoch FROM %(now)s::timestamp - date_order)
                 / extract(epoch FROM gap))::int AS possible_steps
      FROM drawn
), fated AS (
    SELECT planned.*,
           least(planned_steps, possible_steps) AS steps,
           cancelling AND possible_steps >= planned_steps AS cancelled
      FROM planned
), final AS (
    SELECT fated.*,
           CASE WHEN cancelled THEN %(cancelled)s
                ELSE (%(chain)s::int[])[steps + 1] END AS status_id,
           NOT cancelled AND steps = 4 AS done,
           date_order + gap * steps AS date_status,
           (SELECT sum((%(prices)s::numeric[])[1 + (id * 3 + j) %% %(n_products)s]
                       * (1 + (id + j) %% 5))
              FROM generate_series(0, 2) AS j) AS amount,
           1 + floor(pick * (SELECT count(*) FROM customer))::int AS customer_n
      FROM fated
)
INSERT INTO crm_order (id, name, partner_id, commercial_partner_id, date_order,
                       user_id, company_id, currency_id, order_type_id, status_id,
                       status_category, date_status, date_confirmed, date_done,
                       amount_undiscounted, amount_discount, amount_untaxed,
                       amount_total, rating, rating_date, create_uid, create_date,
                       write_uid, write_date)
SELECT final.id, 'KPI/' || lpad(final.id::text, 7, '0'), customer.id, customer.id,
       date_order, (%(users)s::int[])[1 + floor(who * %(n_users)s)::int],
       %(company)s, %(currency)s,
       (%(types)s::int[])[1 + (final.id %% 4)::int], status_id,
       CASE WHEN cancelled THEN 'cancel' WHEN done THEN 'done'
            WHEN steps = 0 THEN 'draft' ELSE 'open' END,
       date_status,
       CASE WHEN steps >= 1 AND NOT (cancelled AND steps = 1)
            THEN date_order + gap END,
       CASE WHEN done THEN date_status END,
       amount, 0, amount, amount,
       CASE WHEN done AND rated < 0.3
            THEN (ARRAY[1, 2, 3, 3, 4, 4, 4, 5, 5, 5])[1 + floor(stars * 10)::int]
            ELSE 0 END,
       CASE WHEN done AND rated < 0.3
            THEN least(%(now)s::timestamp, date_status + delay * interval '7 days')
            END,
       1, date_order, 1, date_status
  FROM final JOIN customer ON customer.n = final.customer_n
 ORDER BY final.id
"""

INSERT_LINES = """
INSERT INTO crm_order_line (order_id, sequence, company_id, currency_id, product_id,
                            name, quantity, product_uom_id, price_unit, discount,
                            price_undiscounted, price_subtotal, create_uid,
                            create_date, write_uid, write_date)
SELECT o.id, 10 + j, o.company_id, o.currency_id, p.product_id, p.name, p.quantity,
       p.uom_id, p.price, 0, p.price * p.quantity, p.price * p.quantity,
       1, o.date_order, 1, o.date_order
  FROM crm_order o, generate_series(0, 2) AS j,
       LATERAL (SELECT (%(products)s::int[])[k] AS product_id,
                       (%(names)s::text[])[k] AS name,
                       (%(uoms)s::int[])[k] AS uom_id,
                       (%(prices)s::numeric[])[k] AS price,
                       1 + (o.id + j) %% 5 AS quantity
                  FROM (SELECT 1 + (o.id * 3 + j) %% %(n_products)s AS k) AS i) AS p
 WHERE o.id > %(last_order)s
"""

# Derived from the orders: step 0 creates the order in Draft, steps 1..n follow the
# chain, the last one going to Cancelled for cancelled orders.
INSERT_HISTORY = """
WITH o AS (
    SELECT o.id, o.company_id, o.order_type_id, o.date_order,
           o.status_id = %(cancelled)s AS cancelled,
           CASE WHEN o.status_id <> %(cancelled)s
                THEN array_position(%(chain)s::int[], o.status_id) - 1
                WHEN o.date_confirmed IS NULL THEN 1
                ELSE round(extract(epoch FROM o.date_status - o.date_order)
                           / extract(epoch FROM o.date_confirmed - o.date_order))::int
           END AS steps,
           o.date_status
      FROM crm_order o
     WHERE o.id > %(last_order)s
), g AS (
    SELECT o.*, (o.date_status - o.date_order) / greatest(o.steps, 1) AS gap FROM o
)
INSERT INTO crm_order_status_history (order_id, company_id, order_type_id,
                                      status_from_id, status_to_id, user_id, date,
                                      duration_hours, processing_hours, change_type,
                                      create_uid, create_date, write_uid, write_date)
SELECT g.id, g.company_id, g.order_type_id,
       CASE WHEN s > 0 THEN (%(chain)s::int[])[s] END,
       CASE WHEN g.cancelled AND s = g.steps THEN %(cancelled)s
            ELSE (%(chain)s::int[])[s + 1] END,
       (%(users)s::int[])[1 + (g.id * 3 + s) %% %(n_users)s],
       g.date_order + g.gap * s,
       CASE WHEN s > 0 THEN round(extract(epoch FROM g.gap) / 3600.0, 2) ELSE 0 END,
       -- completion (step 4): hours since the order left draft (step 1)
       CASE WHEN NOT g.cancelled AND s = 4
            THEN extract(epoch FROM g.gap * 3) / 3600.0 END,
       'user', 1, g.date_order + g.gap * s, 1, g.date_order + g.gap * s
  FROM g, generate_series(0, g.steps) AS s
 ORDER BY g.date_order + g.gap * s
"""

INSERT_TRACKING = """
INSERT INTO crm_order_tracking (order_id, company_id, order_type_id, date, user_id,
                                kind, summary, create_uid, create_date, write_uid,
                                write_date)
SELECT o.id, o.company_id, o.order_type_id, t.date, (%(users)s::int[])[t.who],
       (%(kinds)s::text[])[1 + (o.id + k) %% %(n_kinds)s],
       'Follow-up ' || k, 1, t.date, 1, t.date
  FROM crm_order o, generate_series(1, 2) AS k,
       LATERAL (SELECT o.date_order + random()
                       * least(interval '30 days', %(now)s::timestamp - o.date_order)
                       AS date,
                       1 + floor(random() * %(n_users)s)::int AS who OFFSET 0) AS t
 WHERE o.id > %(last_order)s AND o.id %% 2 = 0
 ORDER BY t.date
"""

STATEMENTS = (
    ("res_partner", INSERT_PARTNERS),
    ("crm_order", INSERT_ORDERS),
    ("crm_order_line", INSERT_LINES),
    ("crm_order_status_history", INSERT_HISTORY),
    ("crm_order_tracking", INSERT_TRACKING),
)


def prepare_database(db):
    drop_database(db)
    print(f"installing {MODULE} into {db} ...")
    started = time.time()
    subprocess.run(
        [
            sys.executable,
            ODOO_SRC / "odoo-bin",
            "-c",
            ODOO_CONF,
            "-d",
            db,
            "-i",
            MODULE,
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ],
        check=True,
    )
    print(f"  done in {time.time() - started:.0f} s")


def drop_database(db):
    subprocess.run(
        [sys.executable, PROJECT_DIR / "tools" / "dropdb.py", ODOO_CONF, db], check=True
    )


def seed(registry):
    """Users and products, through the ORM (they are few)."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if env["res.users"].search_count([("login", "=like", "kpi-bench-%")]):
            return
        salesman = env.ref("sales_team.group_sale_salesman")
        env["res.users"].with_context(no_reset_password=True).create(
            [
                {
                    "name": f"KPI salesperson {i}",
                    "login": f"kpi-bench-{i}",
                    "groups_id": [(6, 0, [salesman.id])],
                }
                for i in range(USER_COUNT)
            ]
        )
        env["product.product"].create(
            [
                {
                    "name": name,
                    "default_code": f"KPI-{i}",
                    "type": kind,
                    "list_price": price,
                }
                for i, (name, kind, price) in enumerate(PRODUCTS)
            ]
        )


class Filler:
    """Grows the database with bulk SQL, in one transaction per size step."""

    def __init__(self, registry, now):
        self.dsn = connection_info_for(registry.db_name)[1]
        self.now = now
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            ref = env.ref
            company = env.ref("base.main_company")
            products = env["product.product"].search(
                [("default_code", "=like", "KPI-%")], order="id"
            )
            self.base = {
                "ref": PARTNER_REF,
                "now": now,
                "days": DAYS,
                "company": company.id,
                "currency": company.currency_id.id,
                "chain": [ref(f"{MODULE}.{xmlid}").id for xmlid in CHAIN],
                "cancelled": ref(f"{MODULE}.order_status_cancelled").id,
                "types": [ref(f"{MODULE}.{xmlid}").id for xmlid in TYPES],
                "users": env["res.users"]
                .search([("login", "=like", "kpi-bench-%")], order="id")
                .ids,
                "products": products.ids,
                "names": [p.get_product_multiline_description_sale() for p in products],
                "uoms": [p.uom_id.id for p in products],
                "prices": [p.lst_price for p in products],
                "kinds": list(KINDS),
            }
        self.base.update(
            n_users=len(self.base["users"]),
            n_products=len(self.base["products"]),
            n_kinds=len(KINDS),
        )

    def connect(self):
        return psycopg2.connect(**self.dsn)

    def order_count(self):
        with self.connect() as conn, conn.cursor() as cr:
            cr.execute("SELECT count(*) FROM crm_order")
            return cr.fetchone()[0]

    def check_not_null(self):
        """Every NOT NULL column without a default is given by the inserts."""
        with self.connect() as conn, conn.cursor() as cr:
            cr.execute(
                """SELECT table_name, column_name FROM information_schema.columns
                    WHERE table_schema = 'public' AND table_name = ANY(%s)
                      AND is_nullable = 'NO' AND column_default IS NULL""",
                [list(TABLES)],
            )
            required = cr.fetchall()
        given = {
            table: re.search(rf"INSERT INTO {table} \(([^)]*)\)", statement).group(1)
            for table, statement in STATEMENTS
        }
        missing = [
            f"{table}.{column}"
            for table, column in required
            if column not in given[table].replace(",", " ").split()
        ]
        if missing:
            sys.exit(f"the fill does not give these NOT NULL columns: {missing}")

    def fill(self, orders):
        """Add ``orders`` orders (and their customers, lines, history, tracking);
        returns the seconds of each statement, and of the vacuum."""
        times = {}
        with self.connect() as conn, conn.cursor() as cr:
            cr.execute("SELECT coalesce(max(id), 0) FROM crm_order")
            params = dict(
                self.base,
                orders=orders,
                partners=max(1, orders // ORDERS_PER_CUSTOMER),
                last_order=cr.fetchone()[0],
            )
            cr.execute("SELECT setseed(%s)", [1 / (1 + params["last_order"])])
            for table, statement in STATEMENTS:
                started = time.perf_counter()
                cr.execute(statement, params)
                times[table] = (cr.rowcount, time.perf_counter() - started)
        conn.close()
        conn = self.connect()
        conn.autocommit = True
        started = time.perf_counter()
        with conn.cursor() as cr:
            cr.execute("VACUUM (ANALYZE) " + ", ".join(TABLES))
        conn.close()
        times["vacuum analyze"] = (None, time.perf_counter() - started)
        return times


def daily_bounds(model):
    """The (granularity, start, end) periods of the daily run, as it computes them."""
    kpi = sys.modules[f"odoo.addons.{MODULE}.report.kpi_formulas"]
    today = odoo.fields.Date.today()
    return [
        (granularity, start, kpi.period_end(granularity, start))
        for granularity in kpi.GRANULARITIES
        for start in kpi.current_and_previous(granularity, today)
    ]


def daily_queries(model):
    """The input queries of the daily run, as _measure() builds them."""
    from odoo.addons.crm_order_management.report.crm_order_kpi import (
        RANGE_JOIN_PERIODS,
    )

    bounds = daily_bounds(model)
    lookup = len(bounds) > RANGE_JOIN_PERIODS
    periods = SQL(", ").join(
        SQL("(%s, %s::date, %s::date)", granularity, start, end)
        for granularity, start, end in bounds
    )
    low = min(start for _, start, _ in bounds)
    high = max(end for _, _, end in bounds)
    return model._input_queries(periods, low, high, lookup)


def best_daily(registry, rounds, run):
    """Seconds of ``run(kpi model)``, best of ``rounds``, each rolled back so
    that every run sees the same data and snapshots."""
    best = float("inf")
    for _ in range(rounds):
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            started = time.perf_counter()
            run(env["crm.order.kpi"])
            env.flush_all()
            best = min(best, time.perf_counter() - started)
            cr.rollback()
    return best


def measure(registry, rounds):
    """Seconds of the 24-month recomputation (committed), of the daily run
    (best of ``rounds``, rolled back) today and on the last day of the previous
    month, beside the same day with every period recomputed (the baseline), of
    each input query of today's run, and the orders dated in today's periods.

    The fill inserted rows dated in every past day, which the change triggers
    noted: the first daily run after it (committed, not timed) counts them,
    as the scheduled action does on the day after an import."""
    kpi = sys.modules[f"odoo.addons.{MODULE}.report.kpi_formulas"]
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        recompute, written = recompute_24_months(env["crm.order.kpi"])
        env["crm.order.kpi"]._cron_compute_snapshots()
        cr.commit()
    today = odoo.fields.Date.today()
    month_end = today.replace(day=1) - timedelta(days=1)
    every_period = [
        (granularity, start)
        for granularity in kpi.GRANULARITIES
        for start in kpi.current_and_previous(granularity, month_end)
    ]
    daily = best_daily(registry, rounds, lambda m: m._cron_compute_snapshots())
    daily_month_end = best_daily(
        registry, rounds, lambda m: m._compute_daily(month_end)
    )
    baseline = best_daily(
        registry, rounds, lambda m: m._compute_snapshots(every_period)
    )
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        model = env["crm.order.kpi"]
        queries = {}
        cr.execute("SET LOCAL jit = off")  # as _measure() does
        for name, query in daily_queries(model).items():
            best = float("inf")
            for _ in range(rounds):
                started = time.perf_counter()
                cr.execute(query)
                cr.fetchall()
                best = min(best, time.perf_counter() - started)
            queries[name] = best
        bounds = daily_bounds(model)
        first = min(start for _, start, _ in bounds)
        last = max(end for _, _, end in bounds)
        cr.execute(
            "SELECT count(*) FROM crm_order WHERE date_order >= %s AND date_order < %s",
            [first, last],
        )
        in_periods = cr.fetchone()[0]
        cr.rollback()
    return {
        "daily": daily,
        "month_end": daily_month_end,
        "baseline": baseline,
        "queries": queries,
        "recompute": recompute,
        "written": written,
        "in_periods": in_periods,
    }


def recompute_24_months(model):
    """Time the recomputation of the last 24 months as the scheduled action runs a
    queued range: one call of the batch computation per RECOMPUTE_BATCH periods,
    each committed. Returns (seconds, snapshots written)."""
    from odoo.addons.crm_order_management.report.crm_order_kpi import (
        RECOMPUTE_BATCH,
    )

    today = odoo.fields.Date.today()
    periods = model._periods_in_range(
        today - relativedelta(months=24), today, ["day", "week", "month"]
    )
    written = 0
    started = time.perf_counter()
    for index in range(0, len(periods), RECOMPUTE_BATCH):
        written += model._compute_snapshots(periods[index : index + RECOMPUTE_BATCH])
        model.env.cr.commit()
    return time.perf_counter() - started, written


def explain(registry):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for name, query in daily_queries(env["crm.order.kpi"]).items():
            cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query))
            print(f"\n--- {name}")
            print(cr.mogrify(query.code, query.params).decode())
            print("\n".join(row[0] for row in cr.fetchall()))


def ratio(new, old):
    return f"x{new / old:.1f}" if old else ""


def print_results(results, rounds):
    header = (
        "orders",
        "in periods",
        "x",
        "daily s",
        "x",
        "month end s",
        "all periods s",
        "ratio",
        "24-month s",
        "x",
        "snapshots",
    )
    row_format = "{:>9} {:>10} {:>5} {:>8} {:>5} {:>11} {:>13} {:>5} {:>10} {:>5} {:>9}"
    print()
    print(row_format.format(*header))
    previous = None
    for size, r in results:
        print(
            row_format.format(
                size,
                r["in_periods"],
                ratio(r["in_periods"], previous["in_periods"]) if previous else "",
                f"{r['daily']:.3f}",
                ratio(r["daily"], previous["daily"]) if previous else "",
                f"{r['month_end']:.3f}",
                f"{r['baseline']:.3f}",
                f"{r['month_end'] / r['baseline']:.2f}" if r["baseline"] else "",
                f"{r['recompute']:.2f}",
                ratio(r["recompute"], previous["recompute"]) if previous else "",
                r["written"],
            )
        )
        previous = r
    print(
        f"(daily: the scheduled action today, best of {rounds}, rolled back; month "
        "end: the same on the last day of the previous month, whose previous month "
        "is settled; all periods: that day's six periods all recomputed, as before "
        "settled periods were skipped (the baseline; ratio = month end / all "
        "periods); 24-month: once, committed per batch; 'in periods': orders dated "
        "in today's periods; x: growth from the previous size)"
    )
    names = list(results[0][1]["queries"])
    row_format = "{:>9}" + " {:>10}" * len(names)
    print()
    print(row_format.format("orders", *names))
    for size, r in results:
        print(row_format.format(size, *(f"{r['queries'][n]:.3f}" for n in names)))
    print(f"(seconds of each input query of the daily run, best of {rounds})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="crm_order_bench_kpi")
    parser.add_argument(
        "--sizes",
        default="10000,100000,1000000",
        help="order counts, comma-separated, growing",
    )
    parser.add_argument("--rounds", type=int, default=3, help="daily run: best of N")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the database and its orders"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN ANALYZE of the daily queries at the largest size",
    )
    parser.add_argument(
        "--no-drop", action="store_true", help="leave the database at the end"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    config.parse_config(["-c", str(ODOO_CONF), "--log-level=warn"])
    if not args.keep:
        prepare_database(args.db)
    registry = odoo.modules.registry.Registry(args.db)
    seed(registry)
    now = datetime.utcnow().replace(microsecond=0) - timedelta(minutes=1)
    filler = Filler(registry, now)
    filler.check_not_null()

    results = []
    for size in sizes:
        count = filler.order_count()
        if size > count:
            print(f"filling {count} -> {size} orders (bulk SQL) ...")
            started = time.perf_counter()
            for step, (rows, seconds) in filler.fill(size - count).items():
                print(
                    f"  {step:<26} {rows if rows is not None else '':>9} rows "
                    f"{seconds:8.1f} s"
                )
            total = time.perf_counter() - started
            print(f"  {'total':<26} {'':>9}      {total:8.1f} s")
        print(f"measuring at {size} orders ...")
        results.append((size, measure(registry, args.rounds)))
    print_results(results, args.rounds)
    if args.explain:
        explain(registry)
    odoo.modules.registry.Registry.delete(args.db)
    odoo.sql_db.close_db(args.db)
    if not args.no_drop:
        drop_database(args.db)


if __name__ == "__main__":
    main()
