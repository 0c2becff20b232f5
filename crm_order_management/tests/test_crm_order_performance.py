# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.tests import tagged

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderPerformance(CrmOrderCommon):
    def _order_vals(self, partner):
        # 2 × 10.0 = 20.0; 1 × 5.5 at 10 % = 4.95; 3 × 1.0 at 50 % = 1.5
        # before discount 28.5, total 26.45, discount 2.05
        return {
            "partner_id": partner.id,
            "line_ids": [
                self._line(2.0, 10.0, 0.0),
                self._line(1.0, 5.5, 10.0),
                self._line(3.0, 1.0, 50.0, product=self.service),
            ],
        }

    def test_batch_create_500_orders(self):
        partners = self.env["res.partner"].create(
            [{"name": "Batch Customer %s" % index} for index in range(50)]
        )
        vals_list = [self._order_vals(partners[index % 50]) for index in range(500)]
        orders = self.env["crm.order"].with_user(self.salesman).create(vals_list)
        self.assertEqual(len(orders), 500)
        self.assertEqual(len(set(orders.mapped("name"))), 500)
        self.assertEqual(len(orders.line_ids), 1500)
        self.assertEqual(len(orders.status_history_ids), 500)
        self.assertEqual(set(orders.mapped("amount_total")), {26.45})
        self.assertEqual(set(orders.mapped("amount_discount")), {2.05})
        # 500 × 26.45 = 13225.0
        self.assertAlmostEqual(sum(orders.mapped("amount_total")), 13225.0, places=2)
        # every customer is new: its first order of the batch is the new
        # customer's, its 9 others are a returning customer's
        new_orders = orders.filtered(lambda o: o.order_type_id == self.type_new)
        self.assertEqual(new_orders, orders[:50])
        self.assertEqual((orders - new_orders).order_type_id, self.type_returning)
        self.assertTrue(all(n.startswith("NEW/") for n in new_orders.mapped("name")))

    def test_create_order_query_count(self):
        Order = self.env["crm.order"].with_user(self.salesman)
        # warm-up: fills the caches (registry, ACLs, rules, views of the models)
        Order.create([self._order_vals(self.customer)])
        self.env.invalidate_all()
        partners = self.env["res.partner"].create(
            [{"name": "Query Customer %s" % index} for index in range(2)]
        )
        # 21 for the orders, their lines, history rows, numbers and chatter (the
        # stored related fields are precomputed: inserted with the orders, not
        # updated afterwards), and 4
        # for the customers' stored satisfaction and loyalty (partner search, two
        # grouped reads, one update), and 1 for the last rating value that
        # rating.mixin stores (one grouped read of the orders' ratings), and 1 for
        # the lock on the new customers (one update of their rows), and 1 for the
        # check that a New Customer order is its customer's first (grouped read), and
        # 1 for the company's sequence of the type (a type shared by every company
        # numbers each company apart).
        with self.assertQueryCount(29):
            Order.create([self._order_vals(partner) for partner in partners])

    def _index_definitions(self, table):
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [table],
        )
        return dict(self.env.cr.fetchall())

    def test_covering_indexes(self):
        # the kanban's columns (status, company, total) and the metrics' products
        # of an order (order, product) are read from an index alone
        orders = self._index_definitions("crm_order")
        self.assertEqual(
            orders["crm_order_status_id_amount_index"],
            "CREATE INDEX crm_order_status_id_amount_index ON public.crm_order "
            "USING btree (status_id) INCLUDE (company_id, amount_total)",
        )
        self.assertNotIn("crm_order__status_id_index", orders)
        lines = self._index_definitions("crm_order_line")
        self.assertEqual(
            lines["crm_order_line_order_id_product_id_index"],
            "CREATE INDEX crm_order_line_order_id_product_id_index ON "
            "public.crm_order_line USING btree (order_id) INCLUDE (product_id)",
        )
        self.assertNotIn("crm_order_line__order_id_index", lines)

    def test_covering_indexes_replace_plain_ones_on_upgrade(self):
        # a database installed before has the plain indexes of `index=True`:
        # the upgrade (init) drops them and keeps the covering ones
        self.env.cr.execute(
            "CREATE INDEX crm_order__status_id_index ON crm_order (status_id);"
            "CREATE INDEX crm_order_line__order_id_index ON crm_order_line (order_id)"
        )
        self.env["crm.order"].init()
        self.env["crm.order.line"].init()
        orders = self._index_definitions("crm_order")
        self.assertNotIn("crm_order__status_id_index", orders)
        self.assertIn("crm_order_status_id_amount_index", orders)
        lines = self._index_definitions("crm_order_line")
        self.assertNotIn("crm_order_line__order_id_index", lines)
        self.assertIn("crm_order_line_order_id_product_id_index", lines)

    def test_date_groupings_estimated_as_days(self):
        # PostgreSQL is told that the order dates, which the web client groups
        # through date_trunc(), have the distinct values of ten years of days
        self.env.cr.execute(
            """SELECT attoptions FROM pg_attribute
                WHERE attrelid = 'crm_order'::regclass AND attname = 'date_order'"""
        )
        self.assertIn("n_distinct=3650", self.env.cr.fetchone()[0])

    def test_groups_sorted_by_status_order(self):
        # The groups ordered by status are sorted in Python, by the statuses'
        # sequence, not their ids: Awaiting Payment moved after Cancelled.
        for status, sequence in (
            (self.status_draft, 5),
            (self.status_payment, 60),
            (self.status_shipment, 20),
            (self.status_receipt, 30),
            (self.status_completed, 40),
            (self.status_cancelled, 50),
        ):
            status.sequence = sequence
        draft_jan = self._create_order(date_order="2026-01-10 09:00:00")
        payment_jan = self._create_order(date_order="2026-01-20 09:00:00")
        shipment_feb = self._create_order(date_order="2026-02-05 09:00:00")
        payment_feb = self._create_order(date_order="2026-02-10 09:00:00")
        self._move(payment_jan, self.status_payment)
        self._move(shipment_feb, self.status_payment, self.status_shipment)
        self._move(payment_feb, self.status_payment)
        Order = self.env["crm.order"].with_user(self.salesman_all)
        domain = [
            ("id", "in", (draft_jan + payment_jan + shipment_feb + payment_feb).ids)
        ]

        def groups(groupby, order, **kwargs):
            return [
                tuple(value.name if hasattr(value, "name") else value for value in row)
                for row in Order._read_group(
                    domain, groupby, ["__count"], order=order, **kwargs
                )
            ]

        self.assertEqual(
            groups(["status_id"], "status_id"),
            [("Draft", 1), ("Awaiting Shipment", 1), ("Awaiting Payment", 2)],
        )
        self.assertEqual(
            groups(["status_id"], "status_id desc"),
            [("Awaiting Payment", 2), ("Awaiting Shipment", 1), ("Draft", 1)],
        )
        jan, feb = datetime(2026, 1, 1), datetime(2026, 2, 1)
        month_status = ["date_order:month", "status_id"]
        self.assertEqual(
            groups(month_status, "date_order:month, status_id"),
            [
                (jan, "Draft", 1),
                (jan, "Awaiting Payment", 1),
                (feb, "Awaiting Shipment", 1),
                (feb, "Awaiting Payment", 1),
            ],
        )
        self.assertEqual(
            groups(month_status, "status_id desc, date_order:month desc"),
            [
                (feb, "Awaiting Payment", 1),
                (jan, "Awaiting Payment", 1),
                (feb, "Awaiting Shipment", 1),
                (jan, "Draft", 1),
            ],
        )
        # a page of the groups
        self.assertEqual(
            groups(month_status, "date_order:month, status_id", offset=1, limit=2),
            [(jan, "Awaiting Payment", 1), (feb, "Awaiting Shipment", 1)],
        )
        # the same order as the ORM's join gives (NULLS LAST leaves it to SQL)
        for groupby, order, in_sql in (
            (
                month_status,
                "date_order:month, status_id",
                "date_order:month, status_id nulls last",
            ),
            (["status_id"], "status_id desc", "status_id desc nulls first"),
        ):
            self.assertEqual(groups(groupby, order), groups(groupby, in_sql))
        # no limit: None, False or 0, as for the ORM
        for limit in (False, 0):
            self.assertEqual(
                groups(["status_id"], "status_id", limit=limit),
                [("Draft", 1), ("Awaiting Shipment", 1), ("Awaiting Payment", 2)],
            )
        # Empty dates (False) come last, and first in descending order: only a
        # completed order has a completion date.
        done = self._complete(self._create_order(date_order="2026-02-20 09:00:00"))
        domain_done = [("id", "in", [*domain[0][2], done.id])]
        done_month = done.date_done.replace(day=1, hour=0, minute=0, second=0)
        done_status = ["date_done:month", "status_id"]

        def done_groups(order):
            return [
                tuple(value.name if hasattr(value, "name") else value for value in row)
                for row in Order._read_group(
                    domain_done, done_status, ["__count"], order=order
                )
            ]

        self.assertEqual(
            done_groups("date_done:month, status_id"),
            [
                (done_month, "Completed", 1),
                (False, "Draft", 1),
                (False, "Awaiting Shipment", 1),
                (False, "Awaiting Payment", 2),
            ],
        )
        self.assertEqual(
            done_groups("date_done:month desc, status_id"),
            [
                (False, "Draft", 1),
                (False, "Awaiting Shipment", 1),
                (False, "Awaiting Payment", 2),
                (done_month, "Completed", 1),
            ],
        )
        self.assertEqual(
            done_groups("date_done:month desc, status_id"),
            done_groups("date_done:month desc, status_id nulls last"),
        )
        # the orders are not joined with their statuses, which are read apart
        with self.assertQueries(
            [
                """SELECT "crm_order"."status_id", COUNT(*) FROM "crm_order"
                    WHERE ("crm_order"."id" IN %s) GROUP BY "crm_order"."status_id"
                    ORDER BY "crm_order"."status_id" ASC""",
                'SELECT "crm_order_status"."id" FROM "crm_order_status" '
                'WHERE ("crm_order_status"."id" IN %s) '
                'ORDER BY "crm_order_status"."sequence", "crm_order_status"."id"',
            ]
        ):
            self.env["crm.order"]._read_group(
                domain, ["status_id"], ["__count"], order="status_id"
            )
        # the kanban's columns, through the web client's call
        columns = Order.web_read_group(
            domain, ["amount_total:sum"], ["status_id"], lazy=True
        )["groups"]
        self.assertEqual(
            [(group["status_id"][1], group["status_id_count"]) for group in columns],
            [
                ("Draft", 1),
                ("Awaiting Shipment", 1),
                ("Awaiting Receipt", 0),
                ("Completed", 0),
                ("Cancelled", 0),
                ("Awaiting Payment", 2),
            ],
        )

    def test_search_box_gives_few_customers_as_ids(self):
        """The search box's Order filter (a number, or a customer and its
        contacts) gives PostgreSQL the customers' ids, not a subquery that it
        estimates to keep half the orders; more customers than
        _inline_ids_limit stay a subquery. The orders found are the same."""
        company_order = self._create_order(self.customer_company)
        contact_order = self._create_order(self.customer_contact)
        private_order = self._create_order(self.customer)
        Order = self.env["crm.order"].with_user(self.salesman_all)
        domain = [
            "|",
            ("name", "ilike", self.customer_company.name),
            ("partner_id", "child_of", self.customer_company.name),
        ]
        expected = company_order + contact_order

        def partner_condition():
            sql = Order._search(domain).select()
            code = sql.code
            return code[code.index('"crm_order"."partner_id" IN') :]

        condition = partner_condition()
        self.assertTrue(condition.startswith('"crm_order"."partner_id" IN %s'))
        self.assertNotIn("res_partner", condition)
        self.assertEqual(set(Order.search(domain).ids), set(expected.ids))
        self.assertEqual(Order.search_count(domain), 2)
        # a subquery whose result the ORM already knows
        known = self.env["res.partner"]._search([("id", "=", self.customer.id)])
        self.assertEqual(known.get_result_ids(), tuple(self.customer.ids))
        self.assertEqual(Order.search([("partner_id", "in", known)]), private_order)
        # the company and its contact: two customers, over a limit of one
        self.patch(type(Order), "_inline_ids_limit", 1)
        condition = partner_condition()
        self.assertTrue(condition.startswith('"crm_order"."partner_id" IN (SELECT'))
        self.assertEqual(set(Order.search(domain).ids), set(expected.ids))
