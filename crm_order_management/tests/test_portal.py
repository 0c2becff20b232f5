# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer's orders in the portal: the list, an order's page, receipt
confirmation and rating, as a portal user of the customer's company, as a public
visitor with a shared link, and as anyone else (refused)."""

import re
from datetime import datetime, timedelta

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException, new_test_user
from odoo.tools import mute_logger

from .common import warm_up_static_paths
from .test_crm_order_integrity import CrmOrderXmlrpcCase

# XML-RPC refusals of a write on orders (ACL of users who only read them)
NOT_ALLOWED_TO_MODIFY = "You are not allowed to modify 'Customer Order' (crm.order)"
PORTAL_ONLY = "Customers write on an order from its page in the portal."


@tagged("post_install", "-at_install")
class TestPortal(CrmOrderXmlrpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        warm_up_static_paths()
        cls.portal_user = new_test_user(
            cls.env,
            login="crm_portal_olivia",
            name="Olivia Portal",
            groups="base.group_portal",
        )
        # a contact of the customer company: sees the company's orders
        cls.portal_user.partner_id.parent_id = cls.customer_company
        cls.received = cls._move(
            cls._create_order(cls.customer_contact, lines=[(2.0, 74.5, 0.0)]),
            cls.status_payment,
            cls.status_shipment,
            cls.status_receipt,
        )
        cls.unpaid = cls._move(
            cls._create_order(cls.customer_company), cls.status_payment
        )
        # another customer's order
        cls.foreign = cls._move(cls._create_order(cls.customer), cls.status_payment)
        # a user of the company who only reads orders (as the Inventory users do
        # with the stock glue addon)
        readers = cls.env["res.groups"].create({"name": "Order Readers"})
        cls.env["ir.model.access"].create(
            {
                "name": "crm.order readers",
                "model_id": cls.env["ir.model"]._get_id("crm.order"),
                "group_id": readers.id,
                "perm_read": True,
            }
        )
        cls.reader = new_test_user(
            cls.env,
            login="crm_order_reader",
            name="Rita Reader",
            groups_id=[
                cls.env.ref("base.group_user").id,
                cls.env.ref("base.group_partner_manager").id,
                readers.id,
            ],
        )

    def _login(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        # the page's forms, or the layout's script (pages without a form)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text) or re.search(
            r'csrf_token: "([^"]+)"', page.text
        )
        return found.group(1)

    def _post(self, url, page_url, **data):
        return self.url_open(url, data={"csrf_token": self._csrf(page_url), **data})

    def _order_ids(self, html):
        """The orders listed on a page, in their order."""
        return [int(i) for i in re.findall(r'href="/my/crm_orders/(\d+)"', html)]

    def _messages(self, order):
        return self.env["mail.message"].search(
            [("model", "=", "crm.order"), ("res_id", "=", order.id)]
        )

    def _post_message(self, order, **params):
        """Post in the order's chatter as the portal's chatter does."""
        post_data = {
            "body": "Hello",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
            **params.pop("post_data", {}),
        }
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "crm.order",
                "thread_id": order.id,
                "post_data": post_data,
                **params,
            },
        )

    def _timeline(self, html):
        return re.search(
            r'id="crm_order_timeline".*?</section>', html, flags=re.DOTALL
        ).group(0)

    # ------------------------------------------------------------------ list

    def test_list_shows_the_orders_of_the_customer_company_only(self):
        self._login()
        page = self.url_open("/my/crm_orders")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.received.name, page.text)
        self.assertIn(self.unpaid.name, page.text)
        self.assertNotIn(self.foreign.name, page.text)
        self.assertIn("Awaiting Receipt", page.text)

    def test_customers_users_get_no_access_token(self):
        """The list's links and the order page's previous and next links open
        the orders through the record rules: no access token, which would open
        them to anyone, even after the user leaves the customer."""
        self._login()
        listed = self.url_open("/my/crm_orders")
        self.assertEqual(
            self._order_ids(listed.text), (self.unpaid + self.received).ids
        )
        page = self.url_open(f"/my/crm_orders/{self.unpaid.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'href="/my/crm_orders/{self.received.id}"', page.text)
        for html in (listed.text, page.text):
            self.assertNotIn("access_token=", html)
        self.env.invalidate_all()
        self.assertFalse(self.unpaid.access_token)
        self.assertFalse(self.received.access_token)

    def test_links_from_e_mails_give_no_access_token_to_the_customers_users(self):
        """A link of an e-mail (/mail/view) takes the customer's user to the
        order's page through the record rules, without the order's token."""
        self._login()
        page = self.url_open(f"/mail/view?model=crm.order&res_id={self.received.id}")
        self.assertEqual(page.status_code, 200)
        self.assertTrue(page.url.endswith(f"/my/crm_orders/{self.received.id}"))
        self.assertNotIn("access_token=", page.text)
        self.env.invalidate_all()
        self.assertFalse(self.received.access_token)

    def test_list_searches_by_number(self):
        self._login()
        page = self.url_open(f"/my/crm_orders?search={self.unpaid.name}")
        self.assertIn(self.unpaid.name, page.text)
        self.assertNotIn(self.received.name, page.text)
        page = self.url_open(f"/my/crm_orders?search={self.foreign.name}")
        self.assertNotIn(self.foreign.name.split("/")[-1] + "<", page.text)
        self.assertIn("No order matches this number.", page.text)
        # an unknown sorting is the default one, not an error
        page = self.url_open("/my/crm_orders?sortby=password")
        self.assertEqual(page.status_code, 200)

    def test_home_counts_the_orders(self):
        self._login()
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["crm_order_count"]}
        )
        self.assertEqual(counters, {"crm_order_count": 2})

    # ------------------------------------------------------------------ page

    def test_order_page_shows_lines_totals_and_timeline_without_users(self):
        self._login()
        page = self.url_open(f"/my/crm_orders/{self.received.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.received.name, page.text)
        self.assertIn(self.product.name, page.text)
        self.assertIn("149.00", page.text)
        timeline = self._timeline(page.text)
        self.assertEqual(
            re.findall(r"<strong>([^<]+)</strong>", timeline),
            ["Draft", "Awaiting Payment", "Awaiting Shipment", "Awaiting Receipt"],
        )
        self.assertNotIn(self.salesman.name, timeline)
        self.assertIn("I received my order", page.text)
        # the company may show who moved the order
        self.company.crm_order_portal_show_users = True
        timeline = self._timeline(
            self.url_open(f"/my/crm_orders/{self.received.id}").text
        )
        # created and moved three times by the salesperson
        self.assertEqual(timeline.count(self.salesman.name), 4)

    def test_other_customers_orders_are_not_found(self):
        self._login()
        for url in (
            f"/my/crm_orders/{self.foreign.id}",
            f"/my/crm_orders/{self.foreign.id}?access_token=forged",
            f"/my/crm_orders/{self.received.id + 10**6}",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        self.assertNotIn(
            self.foreign.name, self.url_open("/my/crm_orders?search=").text
        )

    def test_other_customers_orders_are_refused_over_rpc(self):
        self.assertEqual(
            self.rpc(self.portal_user, "crm.order", "search", []),
            sorted((self.received | self.unpaid).ids, reverse=True),
        )
        self.assertRefused(
            "doesn't have 'read' access to:\n- Customer Order (crm.order)",
            self.portal_user,
            "crm.order",
            "read",
            self.foreign.ids,
            ["name"],
        )
        self.assertRefused(
            "You are not allowed to modify 'Customer Order' (crm.order) records.",
            self.portal_user,
            "crm.order",
            "action_set_status",
            self.received.ids,
            self.status_completed.id,
        )
        self.assertRefused(
            "Private methods (such as 'crm.order._portal_confirm_receipt') cannot "
            "be called remotely.",
            self.portal_user,
            "crm.order",
            "_portal_confirm_receipt",
            self.foreign.ids,
        )
        # internal notes and the opportunity are for the company's users
        self.assertRefused(
            "You do not have enough rights to access the fields",
            self.portal_user,
            "crm.order",
            "read",
            self.received.ids,
            ["note"],
        )
        self.assertEqual(
            self.rpc(
                self.portal_user, "crm.order", "read", self.received.ids, ["name"]
            ),
            [{"id": self.received.id, "name": self.received.name}],
        )
        self.assertEqual(self.received.status_id, self.status_receipt)
        self.assertEqual(self.foreign.status_id, self.status_payment)

    def test_shared_link_shows_that_order_only_to_the_public(self):
        url = self.foreign.get_portal_url()
        self.assertIn("access_token=", url)
        token = self.foreign.access_token
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.foreign.name, page.text)
        # a public visitor does not confirm a receipt
        self.assertNotIn("I received my order", page.text)
        self.assertEqual(
            self.url_open(
                f"/my/crm_orders/{self.received.id}?access_token={token}"
            ).status_code,
            404,
        )
        self.assertIn("/web/login", self.url_open("/my/crm_orders").url)

    def test_access_token_is_the_servers(self):
        self.assertRefused(
            "Security Token (access_token)",
            self.salesman,
            "crm.order",
            "write",
            self.received.ids,
            {"access_token": "chosen-by-the-client"},
        )
        self.assertFalse(self.received.access_token)

    # ------------------------------------------------------------------ actions

    def test_receipt_confirmation_moves_the_order_once(self):
        self._login()
        page_url = f"/my/crm_orders/{self.received.id}"
        history_count = len(self.received.status_history_ids)
        answer = self._post(f"{page_url}/confirm_receipt", page_url)
        self.assertEqual(answer.status_code, 200)
        self.assertIn("message=received", answer.url)
        self.env.invalidate_all()
        self.assertEqual(self.received.status_id, self.status_completed)
        last = self.received.status_history_ids.sorted("id")[-1]
        self.assertEqual(
            (last.status_from_id, last.status_to_id, last.user_id, last.change_type),
            (self.status_receipt, self.status_completed, self.portal_user, "user"),
        )
        self.assertEqual(len(self.received.status_history_ids), history_count + 1)
        # a second click changes nothing
        answer = self._post(f"{page_url}/confirm_receipt", page_url)
        self.assertIn("message=not_awaiting", answer.url)
        self.assertIn("nothing was changed", answer.text)
        self.env.invalidate_all()
        self.assertEqual(self.received.status_id, self.status_completed)
        self.assertEqual(len(self.received.status_history_ids), history_count + 1)

    def test_receipt_confirmation_of_other_orders_is_refused(self):
        self._login()
        own_url = f"/my/crm_orders/{self.unpaid.id}"
        answer = self._post(f"{own_url}/confirm_receipt", own_url)
        self.assertIn("message=not_awaiting", answer.url)
        answer = self._post(
            f"/my/crm_orders/{self.foreign.id}/confirm_receipt", own_url
        )
        self.assertEqual(answer.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(self.unpaid.status_id, self.status_payment)
        self.assertEqual(self.foreign.status_id, self.status_payment)
        # internal users keep their own transition, not the portal's
        self.assertEqual(
            [
                status["name"]
                for status in self.received.with_user(
                    self.salesman
                ).get_allowed_transitions()
            ],
            ["Completed", "Cancelled"],
        )

    def test_rating_from_the_page(self):
        self._complete(self.unpaid.with_env(self.env))
        self._login()
        page_url = f"/my/crm_orders/{self.unpaid.id}"
        self.assertIn("How did it go?", self.url_open(page_url).text)
        answer = self._post(f"{page_url}/rate", page_url, rating="9")
        self.assertIn("message=bad_rating", answer.url)
        self.env.invalidate_all()
        self.assertEqual(self.unpaid.rating, 0)
        answer = self._post(
            f"{page_url}/rate", page_url, rating="4", comment="Delivered on time"
        )
        self.assertIn("message=rated", answer.url)
        self.env.invalidate_all()
        self.assertEqual(
            (self.unpaid.rating, self.unpaid.rating_comment),
            (4, "Delivered on time"),
        )
        rating = self.unpaid.rating_ids.filtered("consumed")
        self.assertEqual(rating.partner_id, self.customer_company)
        # an order not completed is not rated
        page_url = f"/my/crm_orders/{self.received.id}"
        answer = self._post(f"{page_url}/rate", page_url, rating="5")
        self.assertIn("message=not_rateable", answer.url)
        self.env.invalidate_all()
        self.assertEqual(self.received.rating, 0)

    def test_only_the_customer_rates_from_the_page(self):
        """The page's rating is the customer's: a user of the company who reads
        the order (an Inventory user), its salesperson (who shares its link)
        and a visitor with that link are refused by the route, do not see the
        form, and the order stays unrated."""
        self._complete(self.unpaid.with_env(self.env))
        page_url = f"/my/crm_orders/{self.unpaid.id}"
        for login in (self.reader.login, self.salesman.login):
            with self.subTest(user=login):
                self.authenticate(login, login)
                page = self.url_open(page_url)
                self.assertEqual(page.status_code, 200)
                self.assertNotIn("How did it go?", page.text)
                with mute_logger("odoo.http"):
                    answer = self._post(f"{page_url}/rate", page_url, rating="1")
                self.assertEqual(answer.status_code, 403)
        shared_url = self.unpaid.with_user(self.salesman).get_portal_url()
        self.logout()
        page = self.url_open(shared_url)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("How did it go?", page.text)
        with mute_logger("odoo.http"):
            answer = self._post(
                f"{page_url}/rate",
                shared_url,
                rating="1",
                access_token=self.unpaid.access_token,
            )
        self.assertEqual(answer.status_code, 403)
        self.env.invalidate_all()
        self.assertEqual(self.unpaid.rating, 0)
        self.assertFalse(self.unpaid.rating_ids.filtered("consumed"))
        # the salesperson still rates from the form, as a change of theirs
        self.unpaid.with_user(self.salesman).action_rate(3)
        self.assertEqual(self.unpaid.rating, 3)

    def test_customer_writes_in_the_chatter_and_sees_no_internal_note(self):
        self.received.with_user(self.salesman).message_post(
            body="Carrier is late again", subtype_xmlid="mail.mt_note"
        )
        self.received.with_user(self.salesman).message_post(
            body="Your desk leaves our warehouse today",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._login()
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "crm.order",
                "thread_id": self.received.id,
                "post_data": {
                    "body": "Thank you, I will be there",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        message = self.received.message_ids[:1]
        self.assertEqual(message.author_id, self.portal_user.partner_id)
        self.assertIn("Thank you, I will be there", message.body)
        fetched = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": "crm.order", "thread_id": self.received.id},
        )
        bodies = " ".join(
            str(message["body"]) for message in fetched["data"]["mail.message"]
        )
        self.assertIn("Your desk leaves our warehouse today", bodies)
        self.assertIn("Thank you, I will be there", bodies)
        self.assertNotIn("Carrier is late again", bodies)

    def test_drafts_internal_notes_and_cancel_notes_are_not_shown(self):
        draft = self._create_order(self.customer_company)
        self._login()
        self.assertNotIn(draft.name, self.url_open("/my/crm_orders").text)
        self.assertEqual(self.url_open(f"/my/crm_orders/{draft.id}").status_code, 404)
        self.assertNotIn(
            draft.id, self.rpc(self.portal_user, "crm.order", "search", [])
        )
        self.unpaid.with_user(self.salesman).action_set_status(
            self.status_cancelled.id,
            cancel_reason_id=self.cancel_reason.id,
            cancel_note="Customer is slow to pay",
        )
        self.assertRefused(
            "You do not have enough rights to access the fields",
            self.portal_user,
            "crm.order",
            "read",
            self.unpaid.ids,
            ["cancel_note"],
        )

    def test_a_rated_order_is_not_rated_again_from_the_page(self):
        self._complete(self.unpaid.with_env(self.env))
        self._login()
        page_url = f"/my/crm_orders/{self.unpaid.id}"
        self._post(f"{page_url}/rate", page_url, rating="2", comment="Slow")
        answer = self._post(f"{page_url}/rate", page_url, rating="5")
        self.assertIn("message=already_rated", answer.url)
        self.env.invalidate_all()
        self.assertEqual((self.unpaid.rating, self.unpaid.rating_comment), (2, "Slow"))
        self.assertEqual(len(self.unpaid.rating_ids.filtered("consumed")), 1)

    def test_status_activities_never_go_to_the_customer(self):
        self.received.write({"user_id": False, "team_id": False})
        self.status_completed.activity_type_id = self.env.ref(
            "mail.mail_activity_data_todo"
        )
        self._login()
        page_url = f"/my/crm_orders/{self.received.id}"
        self._post(f"{page_url}/confirm_receipt", page_url)
        self.env.invalidate_all()
        self.assertEqual(self.received.status_id, self.status_completed)
        self.assertFalse(
            self.received.activity_ids.filtered(lambda a: a.user_id == self.portal_user)
        )

    def test_customer_tour(self):
        self.start_tour("/my", "crm_order_portal_tour", login=self.portal_user.login)
        self.env.invalidate_all()
        self.assertEqual(self.received.status_id, self.status_completed)
        self.assertEqual(
            (self.received.rating, self.received.rating_comment),
            (4, "Delivered on time"),
        )

    # ------------------------------------------------------------------ list:
    # pager, sortings, title

    def test_list_pages_orders_beyond_a_page(self):
        """80 orders a page (the portal's _items_per_page): 79 older orders of
        the company with the two of the fixtures make 81, the oldest on page 2."""
        extra = (
            self.env["crm.order"]
            .with_user(self.salesman)
            .create(
                [
                    {
                        "partner_id": self.customer_company.id,
                        "date_order": datetime(2020, 1, 1) + timedelta(minutes=minute),
                        "line_ids": [self._line()],
                    }
                    for minute in range(79)
                ]
            )
        )
        extra.with_user(self.salesman).action_set_status(self.status_payment.id)
        oldest = extra.sorted("date_order")[0]
        self._login()
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["crm_order_count"]}
        )
        self.assertEqual(counters, {"crm_order_count": 81})
        first = self.url_open("/my/crm_orders")
        ids = self._order_ids(first.text)
        self.assertEqual(len(ids), 80)
        self.assertEqual(ids[:2], [self.unpaid.id, self.received.id])
        self.assertNotIn(oldest.id, ids)
        self.assertIn('href="/my/crm_orders/page/2?sortby=date"', first.text)
        second = self.url_open("/my/crm_orders/page/2")
        self.assertEqual(second.status_code, 200)
        self.assertEqual(self._order_ids(second.text), [oldest.id])

    def test_list_sortings(self):
        shipped = self._move(
            self._create_order(self.customer_company),
            self.status_payment,
            self.status_shipment,
        )
        self.received.date_order = "2026-03-05 09:00:00"
        self.unpaid.date_order = "2026-03-01 09:00:00"
        shipped.date_order = "2026-03-03 09:00:00"
        orders = self.received | self.unpaid | shipped
        self._login()
        by_name = [order.id for order in orders.sorted("name", reverse=True)]
        # the numbers do not follow the dates here, nor the statuses
        self.assertNotEqual(by_name, [self.received.id, shipped.id, self.unpaid.id])
        self.assertNotEqual(by_name, [self.unpaid.id, shipped.id, self.received.id])
        for sortby, expected in (
            # newest first
            ("date", [self.received.id, shipped.id, self.unpaid.id]),
            ("name", by_name),
            # in the workflow's order: payment, shipment, receipt
            ("status", [self.unpaid.id, shipped.id, self.received.id]),
        ):
            with self.subTest(sortby=sortby):
                page = self.url_open(f"/my/crm_orders?sortby={sortby}")
                self.assertEqual(self._order_ids(page.text), expected)
        # the default is the newest first
        self.assertEqual(
            self._order_ids(self.url_open("/my/crm_orders").text),
            [self.received.id, shipped.id, self.unpaid.id],
        )

    def test_list_title_is_told_apart_from_sales_orders(self):
        Order = self.env["crm.order"]
        # sale is not installed with this addon alone
        self.assertNotIn("sale.order", self.env)
        self.assertEqual(Order._portal_list_title(), "Orders")
        self.assertEqual(Order._portal_list_title(models=set()), "Orders")
        self.assertEqual(
            Order._portal_list_title(models={"sale.order"}), "Customer Orders"
        )
        self._login()
        home = self.url_open("/my")
        self.assertIn('href="/my/crm_orders"', home.text)
        self.assertNotIn("Customer Orders", home.text)
        page = self.url_open("/my/crm_orders")
        self.assertRegex(page.text, r'<li class="breadcrumb-item active ">\s*Orders')

    # ------------------------------------------------------------------ receipt:
    # only the customer confirms

    def test_internal_reader_does_not_confirm_receipt(self):
        """A user of the company who only reads orders sees the page (the
        preview) without the button, and the route refuses them: the order does
        not move."""
        self.authenticate(self.reader.login, self.reader.login)
        page_url = f"/my/crm_orders/{self.received.id}"
        page = self.url_open(page_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.received.name, page.text)
        self.assertNotIn("I received my order", page.text)
        history_count = len(self.received.status_history_ids)
        with mute_logger("odoo.http"):
            answer = self._post(f"{page_url}/confirm_receipt", page_url)
        self.assertEqual(answer.status_code, 403)
        self.env.invalidate_all()
        self.assertEqual(self.received.status_id, self.status_receipt)
        self.assertEqual(len(self.received.status_history_ids), history_count)

    def test_salesperson_preview_has_no_receipt_button(self):
        """The order's salesperson previews the page without the button; the
        route lets them confirm (they may change the order, as on its form)."""
        self.authenticate(self.salesman.login, self.salesman.login)
        page_url = f"/my/crm_orders/{self.received.id}"
        page = self.url_open(page_url)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("I received my order", page.text)
        answer = self._post(f"{page_url}/confirm_receipt", page_url)
        self.assertIn("message=received", answer.url)
        self.env.invalidate_all()
        self.assertEqual(self.received.status_id, self.status_completed)
        last = self.received.status_history_ids.sorted("id")[-1]
        self.assertEqual(last.user_id, self.salesman)

    def test_public_confirmation_is_refused(self):
        """Without a session the route asks to log in, with or without the
        order's token: a shared link confirms nothing."""
        self.url_open(self.received.get_portal_url())
        csrf = self._csrf("/web/login")
        for data in ({}, {"access_token": self.received.access_token}):
            with self.subTest(token=bool(data)):
                answer = self.url_open(
                    f"/my/crm_orders/{self.received.id}/confirm_receipt",
                    data={"csrf_token": csrf, **data},
                )
                self.assertIn("/web/login", answer.url)
        self.env.invalidate_all()
        self.assertEqual(self.received.status_id, self.status_receipt)

    def test_confirmation_with_a_token_of_another_order_is_refused(self):
        foreign_received = self._move(
            self._create_order(self.customer),
            self.status_payment,
            self.status_shipment,
            self.status_receipt,
        )
        self._login()
        own_url = f"/my/crm_orders/{self.unpaid.id}"
        confirm_url = f"/my/crm_orders/{foreign_received.id}/confirm_receipt"
        # the token of the portal user's own order opens no other order
        answer = self._post(
            confirm_url, own_url, access_token=self.received._portal_ensure_token()
        )
        self.assertEqual(answer.status_code, 404)
        # the order's own token shows it, but its customer alone confirms
        with mute_logger("odoo.http"):
            answer = self._post(
                confirm_url,
                own_url,
                access_token=foreign_received._portal_ensure_token(),
            )
        self.assertEqual(answer.status_code, 403)
        self.env.invalidate_all()
        self.assertEqual(foreign_received.status_id, self.status_receipt)
        self.assertEqual(self.received.status_id, self.status_receipt)

    # ------------------------------------------------------------------ chatter:
    # customers post through the portal only

    def test_portal_users_do_not_post_over_rpc(self):
        """message_post, message_notify and mail.message are refused to portal
        users: they would choose the author (the salesperson), the recipients
        (any partner) and a rating."""
        self._move(self.received, self.status_completed)
        # the messages of the change (posted when the transaction commits)
        self.env.cr.flush()
        messages = self._messages(self.received)
        spoofed = {
            "body": "Your refund is approved",
            "author_id": self.salesman.partner_id.id,
            "partner_ids": [self.customer.id],
        }
        self.assertRefused(
            PORTAL_ONLY,
            self.portal_user,
            "crm.order",
            "message_post",
            self.received.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            rating_value=1,
            **spoofed,
        )
        self.assertRefused(
            PORTAL_ONLY,
            self.portal_user,
            "crm.order",
            "message_notify",
            self.received.ids,
            **spoofed,
        )
        self.assertRefused(
            PORTAL_ONLY,
            self.portal_user,
            "mail.message",
            "create",
            {
                "model": "crm.order",
                "res_id": self.received.id,
                "message_type": "comment",
                "subtype_id": self.env.ref("mail.mt_comment").id,
                **spoofed,
            },
        )
        self.assertEqual(self._messages(self.received), messages)
        self.assertEqual(self.received.rating, 0)
        self.assertFalse(self.received.rating_ids.filtered("consumed"))
        self.assertFalse(self.env["mail.message"].search([("body", "ilike", "refund")]))

    def test_customer_posts_from_the_page_with_the_portal_parameters_only(self):
        self._login()
        self._post_message(
            self.received,
            post_data={
                "body": "Is it shipped?",
                "author_id": self.salesman.partner_id.id,
                "partner_ids": [self.customer.id],
            },
        )
        message = self._messages(self.received)[:1]
        self.assertIn("Is it shipped?", message.body)
        self.assertEqual(message.author_id, self.portal_user.partner_id)
        # not a follower of the order: not notified
        self.assertFalse(message.partner_ids)
        # the message is the customer's, not theirs to change over RPC
        self.assertRefused(
            PORTAL_ONLY,
            self.portal_user,
            "mail.message",
            "write",
            message.ids,
            {"author_id": self.salesman.partner_id.id, "body": "Forged"},
        )
        self.assertEqual(message.author_id, self.portal_user.partner_id)
        self.assertIn("Is it shipped?", message.body)

    # ------------------------------------------------------------------ chatter:
    # another customer's order, ratings

    def test_posting_on_another_customers_order_is_refused(self):
        messages = self._messages(self.foreign)
        # the order was shared with its customer
        self.foreign._portal_ensure_token()
        self._login()
        for params in ({}, {"token": "forged"}):
            with self.subTest(params=params), mute_logger("odoo.http"):
                with self.assertRaises(JsonRpcException) as caught:
                    self._post_message(self.foreign, **params)
                self.assertEqual(str(caught.exception), "werkzeug.exceptions.NotFound")
        self.logout()
        with self.assertRaises(JsonRpcException) as caught, mute_logger("odoo.http"):
            self._post_message(self.foreign)
        self.assertEqual(str(caught.exception), "werkzeug.exceptions.NotFound")
        self.assertEqual(self._messages(self.foreign), messages)

    def test_a_rated_order_is_not_rated_again_from_the_chatter(self):
        """portal_rating lets a rating through the chatter's route: not for the
        order's customer, nor a visitor with its link, nor a user who only reads
        it."""
        self._complete(self.unpaid.with_env(self.env))
        self._login()
        page_url = f"/my/crm_orders/{self.unpaid.id}"
        self._post(f"{page_url}/rate", page_url, rating="2", comment="Slow")
        self.env.invalidate_all()
        rating = self.unpaid.rating_ids.filtered("consumed")
        self.assertEqual((self.unpaid.rating, len(rating)), (2, 1))
        self._post_message(
            self.unpaid, post_data={"body": "Actually great", "rating_value": 5}
        )
        self.logout()
        self._post_message(
            self.unpaid,
            token=self.unpaid._portal_ensure_token(),
            post_data={"body": "Great indeed", "rating_value": 5},
        )
        self.authenticate(self.reader.login, self.reader.login)
        self._post_message(
            self.unpaid, post_data={"body": "Rated 5 by phone", "rating_value": 5}
        )
        self.env.invalidate_all()
        # the messages are posted, without their rating (the visitor with the link
        # writes as the order's customer)
        authors = [message.author_id for message in self._messages(self.unpaid)[:3]]
        self.assertEqual(
            authors,
            [
                self.reader.partner_id,
                self.customer_company,
                self.portal_user.partner_id,
            ],
        )
        self.assertEqual((self.unpaid.rating, self.unpaid.rating_comment), (2, "Slow"))
        self.assertEqual(self.unpaid.rating_ids.filtered("consumed"), rating)
        self.assertEqual(rating.rating, 2.0)

    def test_salesperson_rates_through_the_chatter(self):
        """Who may change the order changes its rating, from the chatter too."""
        self._complete(self.unpaid.with_env(self.env))
        self.authenticate(self.salesman.login, self.salesman.login)
        self._post_message(
            self.unpaid, post_data={"body": "Rated by phone", "rating_value": 4}
        )
        self.env.invalidate_all()
        self.assertEqual(self.unpaid.rating, 4)

    def test_customer_does_not_remove_a_rating_by_editing_the_message(self):
        """A message of the customer carrying a rating (posted with one before
        the chatter dropped it): editing it does not remove the rating
        (rating_value False), which would let the order be rated again."""
        self._complete(self.unpaid.with_env(self.env))
        message = (
            self.unpaid.with_user(self.portal_user)
            .sudo()
            .message_post(
                body="Good",
                rating_value=4,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        )
        rating = message.rating_ids
        self.assertEqual((rating.rating, self.unpaid.rating), (4.0, 4))
        self._login()
        self.make_jsonrpc_request(
            "/mail/message/update_content",
            {
                "message_id": message.id,
                "body": "Good, after all",
                "attachment_ids": [],
                "rating_value": False,
            },
        )
        self.env.invalidate_all()
        self.assertIn("Good, after all", message.body)
        self.assertEqual(message.rating_ids, rating)
        self.assertEqual(self.unpaid.rating, 4)

    # ------------------------------------------------------------------ sharing

    def test_readers_do_not_give_out_links(self):
        """A shared link opens the order to whoever holds it: users who only read
        the order (and customers) neither get nor read its token; the form's
        Share and Preview are the salespeople's."""
        share = self.env.ref("crm_order_management.model_crm_order_action_share")
        self.assertEqual(
            share.groups_id, self.env.ref("sales_team.group_sale_salesman")
        )
        order_ids = self.received.ids
        for user in (self.reader, self.portal_user):
            with self.subTest(user=user.login):
                for method in ("get_portal_url", "action_preview_crm_order"):
                    self.assertRefused(
                        NOT_ALLOWED_TO_MODIFY, user, "crm.order", method, order_ids
                    )
        context = {"active_model": "crm.order", "active_id": self.received.id}
        # the Share dialog reads the token (and would create it)
        self.assertRefused(
            'You do not have enough rights to access the fields "access_token"',
            self.reader,
            "portal.share",
            "create",
            {"res_model": "crm.order", "res_id": self.received.id},
            context=context,
        )
        self.assertRefused(
            "You don't have enough access rights to run this action.",
            self.reader,
            "ir.actions.server",
            "run",
            share.ids,
            context=context,
        )
        self.assertFalse(self.received.access_token)
        # nor read a token given out by the salesperson
        token = self.received.with_user(self.salesman)._portal_ensure_token()
        self.assertRefused(
            "You do not have enough rights to access the fields",
            self.reader,
            "crm.order",
            "read",
            order_ids,
            ["access_token"],
        )
        self.assertNotIn(
            "access_token",
            self.rpc(self.reader, "crm.order", "fields_get", [], ["string"]),
        )
        # the form: no Preview button, no Share action
        views = self.rpc(
            self.reader,
            "crm.order",
            "get_views",
            [[False, "form"]],
            options={"toolbar": True},
        )["views"]["form"]
        self.assertNotIn("action_preview_crm_order", views["arch"])
        self.assertNotIn(
            share.id, [action["id"] for action in views["toolbar"].get("action", [])]
        )
        self.assertEqual(self.received.access_token, token)

    def test_salesperson_shares_the_order(self):
        # the Share dialog (portal.share) is for the users who create contacts
        self.salesman.groups_id |= self.env.ref("base.group_partner_manager")
        share = self.env.ref("crm_order_management.model_crm_order_action_share")
        views = self.rpc(
            self.salesman,
            "crm.order",
            "get_views",
            [[False, "form"]],
            options={"toolbar": True},
        )["views"]["form"]
        self.assertIn("action_preview_crm_order", views["arch"])
        self.assertIn(share.id, [action["id"] for action in views["toolbar"]["action"]])
        preview = self.rpc(
            self.salesman, "crm.order", "action_preview_crm_order", self.received.ids
        )
        self.env.invalidate_all()
        token = self.received.access_token
        self.assertTrue(token)
        self.assertEqual(
            preview["url"], f"/my/crm_orders/{self.received.id}?access_token={token}"
        )
        wizard_id = self.rpc(
            self.salesman,
            "portal.share",
            "create",
            {"res_model": "crm.order", "res_id": self.received.id},
            context={"active_model": "crm.order", "active_id": self.received.id},
        )
        [wizard] = self.rpc(
            self.salesman, "portal.share", "read", [wizard_id], ["share_link"]
        )
        self.assertIn(f"access_token={token}", wizard["share_link"])
