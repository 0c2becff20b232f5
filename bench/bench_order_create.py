"""Order creation speed: crm.order against Odoo's own sale.order, in one database.

Creates a throwaway database with crm_order_management and sale_management (no demo
data), then creates N orders of 3 lines each in both models, in one batch (one create
call) and one by one (one create call per order), and prints orders per second and the
ratio crm.order / sale.order. Every measurement runs in its own transaction, flushed
to the database inside the timed block, then rolled back, so that each starts from the
same data. Both models are used as the admin user, not as the superuser.

Run with `make bench-create` (or: tools/bench.sh bench/bench_order_create.py).
"""

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

import odoo
from odoo.tools import config

PROJECT_DIR = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
ODOO_CONF = Path(os.environ.get("ODOO_CONF", PROJECT_DIR / ".odoo" / "odoo.conf"))


def prepare_database(db):
    subprocess.run(
        [sys.executable, PROJECT_DIR / "tools" / "dropdb.py", ODOO_CONF, db], check=True
    )
    print(f"installing crm_order_management and sale_management into {db} ...")
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
            "crm_order_management,sale_management",
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ],
        check=True,
    )
    print(f"  done in {time.time() - started:.0f} s")


def order_values(model, partners, products, n):
    line_key = "line_ids" if model == "crm.order" else "order_line"
    qty_key = "quantity" if model == "crm.order" else "product_uom_qty"
    return [
        {
            "partner_id": partners[i % len(partners)].id,
            line_key: [
                (0, 0, {"product_id": product.id, qty_key: 1 + (i + j) % 5})
                for j, product in enumerate(products)
            ],
        }
        for i in range(n)
    ]


def measure(registry, model, n, batch, profile=None):
    """Orders per second creating ``n`` orders; rolled back afterwards. With
    ``profile`` (a cProfile.Profile), the timed block runs under it."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = env(user=admin.id)
        partners = env["res.partner"].search(
            [("name", "=like", "Bench customer %")], order="id"
        )
        products = env["product.product"].search(
            [("default_code", "=like", "BENCH-%")], order="id"
        )
        vals_list = order_values(model, partners, products, n)
        Model = env[model]
        env.invalidate_all()
        if profile:
            profile.enable()
        started = time.perf_counter()
        if batch:
            orders = Model.create(vals_list)
        else:
            orders = Model
            for vals in vals_list:
                orders |= Model.create(vals)
        env.flush_all()
        elapsed = time.perf_counter() - started
        if profile:
            profile.disable()
        assert (
            len(orders) == n
            and len(
                orders.mapped("order_line" if model == "sale.order" else "line_ids")
            )
            == 3 * n
        )
        cr.rollback()
    return n / elapsed


def seed(registry):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["res.partner"].create(
            [{"name": f"Bench customer {i}", "is_company": True} for i in range(50)]
        )
        env["product.product"].create(
            [
                {
                    "name": "Bench laptop",
                    "default_code": "BENCH-1",
                    "list_price": 900.0,
                    "type": "consu",
                },
                {
                    "name": "Bench mouse",
                    "default_code": "BENCH-2",
                    "list_price": 25.5,
                    "type": "consu",
                },
                {
                    "name": "Bench training",
                    "default_code": "BENCH-3",
                    "list_price": 300.0,
                    "type": "service",
                },
            ]
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="crm_order_bench_create")
    parser.add_argument("--batch", type=int, default=2000, help="orders in one batch")
    parser.add_argument("--single", type=int, default=500, help="orders one by one")
    parser.add_argument("--rounds", type=int, default=2, help="best of N rounds")
    parser.add_argument("--keep", action="store_true", help="reuse the database")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        default=0,
        help="instead of the figures, profile crm.order's creation (one batch, "
        "then one by one) and print the N functions of the longest cumulative "
        "time",
    )
    args = parser.parse_args()

    config.parse_config(["-c", str(ODOO_CONF), "--log-level=warn"])
    if not args.keep:
        prepare_database(args.db)
    registry = odoo.modules.registry.Registry(args.db)
    if not args.keep:
        seed(registry)

    # Warm up the caches of both models before measuring.
    for model in ("crm.order", "sale.order"):
        measure(registry, model, 20, batch=True)

    if args.profile:
        for label, n, batch in (
            ("one batch", args.batch, True),
            ("one by one", args.single, False),
        ):
            profile = cProfile.Profile()
            rate = measure(registry, "crm.order", n, batch, profile=profile)
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
            stats.print_stats(args.profile)
            print(f"\n=== crm.order, {label}, {n} orders: {rate:.1f}/s (profiled)")
            print(out.getvalue())
        return

    rows = []
    for label, n, batch in (
        ("one batch", args.batch, True),
        ("one by one", args.single, False),
    ):
        best = {}
        for _ in range(args.rounds):
            for model in ("crm.order", "sale.order"):
                best[model] = max(
                    best.get(model, 0.0), measure(registry, model, n, batch)
                )
        rows.append((label, n, best["crm.order"], best["sale.order"]))

    header = ("mode", "orders", "crm.order/s", "sale.order/s", "ratio")
    row_format = "{:<12} {:>7} {:>12} {:>13} {:>6}"
    print()
    print(row_format.format(*header))
    for label, n, crm_rate, sale_rate in rows:
        ratio = crm_rate / sale_rate
        print(
            row_format.format(
                label, n, f"{crm_rate:.1f}", f"{sale_rate:.1f}", f"{ratio:.2f}"
            )
        )
    print(
        "(3 lines per order; best of %d rounds; ratio = crm.order / sale.order)"
        % args.rounds
    )


if __name__ == "__main__":
    main()
