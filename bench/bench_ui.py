"""The web client's calls on the orders at scale: kanban groups, the list's page and
the analysis pivot.

Creates a throwaway database with crm_order_management (no demo data), fills it as
bench_kpi.py does (bulk SQL: orders over two years with lines, history and follow-ups)
to 10,000, 100,000 and 1,000,000 orders (by default), and times at each size, as a
salesperson with All Documents rights (record rules applied), the same calls the web
client makes:

- kanban groups: ``web_read_group`` grouped by status (the columns with their
  counts and sums);
- kanban cards: ``web_search_read`` of each open column's first 40 cards (the
  web client loads them side by side; here one after the other, added up);
- kanban progress bars: ``read_progress_bar`` (activities per column);
- list: ``web_search_read`` of the first page (80 orders, the list's fields,
  counted up to 10,001 as the web client asks);
- search: the same page for a customer's name typed in the search box (the
  search view's default, *Order*: the number, or the customer and its contacts);
  beside it, the same search as the ORM alone runs it, the customers as a
  subquery (the baseline of crm.order's _condition_to_sql);
- pivot cells: ``read_group`` of the analysis, month x status, amount and count;
- pivot totals: the pivot's three other ``read_group`` calls (the month rows, the
  status columns and the grand total; added up).

Each call is the best of N runs. Beside each, the same grouping or page in plain SQL
on the same table, measured in the same run, is the baseline: the ratio shows what
the ORM and the record rules add to what PostgreSQL does anyway. The issue's goals
at 1,000,000 orders: kanban groups under 150 ms, pivot under 300 ms.

Run with `make bench-ui` (or: tools/bench.sh bench/bench_ui.py).
"""

import argparse
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_kpi  # noqa: E402  (the fill of the metrics benchmark)

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402
from odoo.tools import config  # noqa: E402

LIST_SPEC = {
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "date_order": {},
    "order_type_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "status_id": {"fields": {"display_name": {}}},
    "amount_total": {},
    "currency_id": {"fields": {}},
}
CARD_SPEC = {
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "amount_total": {},
    "currency_id": {"fields": {}},
    "date_order": {},
    "status_id": {"fields": {}},
    "activity_ids": {"fields": {}},
}

SQL_KANBAN = (
    "SELECT status_id, count(*), sum(amount_total) FROM crm_order GROUP BY status_id"
)
SQL_LIST = (
    "SELECT id, name, partner_id, date_order, order_type_id, user_id, status_id, "
    "amount_total FROM crm_order ORDER BY date_order DESC, id DESC LIMIT 80"
)
SQL_CARDS = (
    "SELECT status.id, card.id FROM crm_order_status status CROSS JOIN LATERAL "
    "(SELECT id FROM crm_order WHERE status_id = status.id "
    "ORDER BY date_order DESC, id DESC LIMIT 40) card WHERE NOT status.fold"
)
SQL_PROGRESS = (
    "SELECT status_id, activity.deadline, count(*) FROM crm_order LEFT JOIN "
    "(SELECT res_id, min(date_deadline) AS deadline FROM mail_activity "
    "WHERE res_model = 'crm.order' GROUP BY res_id) activity "
    "ON activity.res_id = crm_order.id GROUP BY 1, 2"
)
# the search box's Order filter: the number, or the customer and its contacts (the
# customers first, then the orders of their ids)
SQL_SEARCH = (
    "SELECT id FROM res_partner WHERE complete_name ILIKE %(like)s",
    "SELECT id FROM crm_order WHERE name ILIKE %(like)s OR partner_id = ANY(%(ids)s) "
    "ORDER BY date_order DESC, id DESC LIMIT 80",
    "SELECT count(*) FROM (SELECT 1 FROM crm_order WHERE name ILIKE %(like)s "
    "OR partner_id = ANY(%(ids)s) LIMIT 10001) page",
)
SQL_PIVOT = (
    "SELECT date_trunc('month', date_order), status_id, count(*), sum(amount_total) "
    "FROM crm_order GROUP BY 1, 2"
)
SQL_PIVOT_TOTALS = (
    "SELECT date_trunc('month', date_order), count(*), sum(amount_total) "
    "FROM crm_order GROUP BY 1",
    "SELECT status_id, count(*), sum(amount_total) FROM crm_order GROUP BY 1",
    "SELECT count(*), sum(amount_total) FROM crm_order",
)
# The web client asks for the count of a list or a column up to this (its
# DEFAULT_COUNT_LIMIT, 10,000, plus one).
COUNT_LIMIT = 10001


def best(function, rounds):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def search_calls(registry):
    """The search box's call for the customer of the newest order, the same
    call as the ORM alone runs it, and the parameters of their plain SQL."""
    # the customer of the newest order (not timed)
    with registry.cursor() as cr:
        cr.execute(
            "SELECT partner.name FROM crm_order JOIN res_partner partner "
            "ON partner.id = crm_order.partner_id ORDER BY crm_order.id DESC LIMIT 1"
        )
        (customer,) = cr.fetchone()

    def search(Order):
        Order.web_search_read(
            ["|", ("name", "ilike", customer), ("partner_id", "child_of", customer)],
            LIST_SPEC,
            limit=80,
            count_limit=COUNT_LIMIT,
        )

    def search_as_subquery(Order):
        """The same search as the ORM alone gives it (the baseline of the
        addon's change): the customers as a subquery (crm.order's
        _condition_to_sql, with no room for ids)."""
        model = type(Order)
        model._inline_ids_limit = -1
        try:
            search(Order)
        finally:
            del model._inline_ids_limit

    with registry.cursor() as cr:
        like = f"%{customer}%"
        cr.execute("SELECT id FROM res_partner WHERE complete_name ILIKE %s", [like])
        search_params = {"like": like, "ids": [row[0] for row in cr.fetchall()]}
    return search, search_as_subquery, search_params


def measure(registry, user_id, rounds):
    """Seconds of each web client call and of its SQL baseline, best of
    ``rounds``; each round in a fresh cursor and cache."""
    results = {}

    def orm(call):
        def run():
            with registry.cursor() as cr:
                env = api.Environment(cr, user_id, {"tz": "UTC", "lang": "en_US"})
                call(env["crm.order"])
                cr.rollback()

        return run

    def sql(queries, params=None):
        def run():
            with registry.cursor() as cr:
                for query in (queries,) if isinstance(queries, str) else queries:
                    cr.execute(query, params)
                    cr.fetchall()
                cr.rollback()

        return run

    def kanban_groups(Order):
        Order.web_read_group([], ["amount_total:sum"], ["status_id"], lazy=True)

    # the open columns that have cards, as the groups give them (not timed)
    with registry.cursor() as cr:
        env = api.Environment(cr, user_id, {"tz": "UTC", "lang": "en_US"})
        groups = env["crm.order"].read_group(
            [], ["amount_total:sum"], ["status_id"], lazy=True
        )
        columns = [
            group["__domain"]
            for group in groups
            if group["status_id_count"] and not group.get("__fold")
        ]

    def kanban_cards(Order):
        for domain in columns:
            Order.web_search_read(domain, CARD_SPEC, limit=40, count_limit=COUNT_LIMIT)

    def kanban_progress(Order):
        Order.read_progress_bar(
            [],
            "status_id",
            {
                "field": "activity_state",
                "colors": {
                    "planned": "success",
                    "today": "warning",
                    "overdue": "danger",
                },
                "sum_field": "amount_total",
            },
        )

    def listing(Order):
        Order.web_search_read([], LIST_SPEC, limit=80, count_limit=COUNT_LIMIT)

    search, search_as_subquery, search_params = search_calls(registry)

    measures = ["amount_total:sum", "__count"]

    def pivot(Order):
        Order.read_group([], measures, ["date_order:month", "status_id"], lazy=False)

    def pivot_totals(Order):
        for groupby in (["date_order:month"], ["status_id"], []):
            Order.read_group([], measures, groupby, lazy=False)

    for name, call, baseline, params in (
        ("kanban groups", kanban_groups, SQL_KANBAN, None),
        ("kanban cards", kanban_cards, SQL_CARDS, None),
        ("kanban progress bars", kanban_progress, SQL_PROGRESS, None),
        ("list page", listing, SQL_LIST, None),
        ("search page", search, SQL_SEARCH, search_params),
        ("search, ORM alone", search_as_subquery, SQL_SEARCH, search_params),
        ("pivot cells", pivot, SQL_PIVOT, None),
        ("pivot totals", pivot_totals, SQL_PIVOT_TOTALS, None),
    ):
        orm(call)()  # warm the registry and PostgreSQL's caches
        results[name] = (best(orm(call), rounds), best(sql(baseline, params), rounds))
    return results


def salesperson(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", "bench_ui_all")])
        if not user:
            user = env["res.users"].create(
                {
                    "name": "Bench All Documents",
                    "login": "bench_ui_all",
                    "groups_id": [
                        (
                            6,
                            0,
                            env.ref("sales_team.group_sale_salesman_all_leads").ids,
                        )
                    ],
                }
            )
        return user.id


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="crm_order_bench_ui")
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="order counts, growing"
    )
    parser.add_argument("--rounds", type=int, default=5, help="best of N")
    parser.add_argument("--keep", action="store_true", help="reuse the database")
    parser.add_argument("--no-drop", action="store_true", help="keep it at the end")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    config.parse_config(["-c", str(bench_kpi.ODOO_CONF), "--log-level=warn"])
    if not args.keep:
        bench_kpi.prepare_database(args.db)
    registry = odoo.modules.registry.Registry(args.db)
    bench_kpi.seed(registry)
    user_id = salesperson(registry)
    now = datetime.utcnow().replace(microsecond=0) - timedelta(minutes=1)
    filler = bench_kpi.Filler(registry, now)
    filler.check_not_null()

    rows = []
    for size in sizes:
        count = filler.order_count()
        if size > count:
            print(f"filling {count} -> {size} orders (bulk SQL) ...", flush=True)
            filler.fill(size - count)
        print(f"measuring at {size} orders ...", flush=True)
        rows.append((size, measure(registry, user_id, args.rounds)))

    print()
    print(f"{'orders':>9}  {'call':<22} {'ORM ms':>9} {'SQL ms':>9} {'ratio':>7}")
    for size, results in rows:
        for name, (orm_s, sql_s) in results.items():
            print(
                f"{size:>9}  {name:<22} {orm_s * 1000:>9.1f} {sql_s * 1000:>9.1f} "
                f"{orm_s / sql_s if sql_s else float('inf'):>7.1f}"
            )
    print(
        f"(best of {args.rounds}; ratio = the web client's call / the same grouping "
        "or page in plain SQL; goals at 1,000,000 orders: kanban groups < 150 ms, "
        "pivot cells < 300 ms)"
    )
    odoo.modules.registry.Registry.delete(args.db)
    odoo.sql_db.close_db(args.db)
    if not args.no_drop:
        bench_kpi.drop_database(args.db)


if __name__ == "__main__":
    main()
