# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import xmlrpc.client

import polib

from odoo import Command, http
from odoo.tests import TransactionCase
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger
from odoo.tools.misc import file_path

PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]")


def warm_up_static_paths():
    """Odoo maps the addons' static folders (``http.root.statics``, every manifest
    read with ``ast.literal_eval``) on the first request that needs it. A browser
    asks for several files at once, so several server threads would read the
    manifests together, and Python 3.11's AST constructor is not thread-safe: one
    request fails with "SystemError: AST constructor recursion depth mismatch"
    (CPython gh-106905), a 500 and an ERROR line, and the tour with it. Called
    before a browser starts, it builds the map once, in the test's thread."""
    return http.root.statics


class PoFileMixin:
    """The translation of an addon against its template, for the i18n tests of
    the addon and of its glue addons."""

    def assertPoFileComplete(self, module, lang="zh_CN"):
        """``<lang>.po`` translates every term of the template and only those, none
        fuzzy, keeping the placeholders and the template's occurrences."""
        pot = polib.pofile(file_path(f"{module}/i18n/{module}.pot"))
        po = polib.pofile(file_path(f"{module}/i18n/{lang}.po"))
        self.assertEqual(po.metadata.get("Language"), lang)
        self.assertEqual(po.metadata.get("Plural-Forms"), "nplurals=1; plural=0;")
        self.assertEqual(
            {entry.msgid for entry in po},
            {entry.msgid for entry in pot},
            f"{lang}.po and the .pot must have the same terms: re-export the .pot",
        )
        self.assertFalse(po.obsolete_entries())
        untranslated = [
            entry.msgid for entry in po if not entry.msgstr.strip() or entry.fuzzy
        ]
        self.assertFalse(untranslated, f"untranslated terms in {lang}.po")
        for entry in po:
            with self.subTest(msgid=entry.msgid):
                self.assertEqual(
                    sorted(PLACEHOLDER.findall(entry.msgstr)),
                    sorted(PLACEHOLDER.findall(entry.msgid)),
                )
                self.assertEqual(
                    [occurrence for occurrence, _line in entry.occurrences],
                    [
                        occurrence
                        for occurrence, _line in pot.find(entry.msgid).occurrences
                    ],
                )


class XmlrpcMixin:
    """XML-RPC calls as the test users (their password is their login), for
    test classes of HttpCase (``xmlrpc_object`` reaches the server the test
    runs)."""

    def rpc(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs
        )

    @mute_logger("odoo.http")
    def assertRefused(self, message, user, model, method, *args, **kwargs):
        """The call fails with a fault whose text contains ``message``."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(user, model, method, *args, **kwargs)
        self.assertIn(message, caught.exception.faultString)
        self.env.invalidate_all()


class CrmOrderCommon(TransactionCase):
    """Fixtures shared by the tests of the addon, built once per test class.

    ``self.env`` is the superuser's environment: it bypasses the workflow rules,
    which only apply to real users. Tests that check a rule act as one of the users
    below, through ``order.with_user(user)``.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id

        # Statuses and types delivered by data/
        ref = cls.env.ref
        cls.status_draft = ref("crm_order_management.order_status_draft")
        cls.status_payment = ref("crm_order_management.order_status_awaiting_payment")
        cls.status_shipment = ref("crm_order_management.order_status_awaiting_shipment")
        cls.status_receipt = ref("crm_order_management.order_status_awaiting_receipt")
        cls.status_completed = ref("crm_order_management.order_status_completed")
        cls.status_cancelled = ref("crm_order_management.order_status_cancelled")
        cls.type_new = ref("crm_order_management.order_type_new")
        cls.type_returning = ref("crm_order_management.order_type_returning")
        cls.type_recurring = ref("crm_order_management.order_type_recurring")
        cls.type_competitor = ref("crm_order_management.order_type_competitor")
        cls.cancel_reason = ref("crm_order_management.cancel_reason_customer")

        # Users
        cls.salesman = new_test_user(
            cls.env,
            login="crm_order_salesman",
            name="Sam Salesman",
            groups="sales_team.group_sale_salesman",
        )
        cls.salesman_other = new_test_user(
            cls.env,
            login="crm_order_salesman_other",
            name="Olga Salesman",
            groups="sales_team.group_sale_salesman",
        )
        cls.salesman_all = new_test_user(
            cls.env,
            login="crm_order_salesman_all",
            name="Alice All Documents",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.manager = new_test_user(
            cls.env,
            login="crm_order_manager",
            name="Mia Manager",
            groups="sales_team.group_sale_manager",
        )

        # Customers: a company with a contact, and a private customer
        cls.customer_company = cls.env["res.partner"].create(
            {"name": "Lotus Trading Ltd", "is_company": True}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Ann Lotus", "parent_id": cls.customer_company.id}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Ben Private"})

        # Products: a good and a service
        cls.product = cls.env["product.product"].create(
            {
                "name": "Office Desk",
                "type": "consu",
                "list_price": 10.0,
                "description_sale": "Oak desk, 160 cm",
            }
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "Support Hour",
                "type": "service",
                "list_price": 50.0,
                "service_kind": "support",
            }
        )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @classmethod
    def _line(cls, quantity=1.0, price_unit=10.0, discount=0.0, product=None):
        return Command.create(
            {
                "product_id": (product or cls.product).id,
                "quantity": quantity,
                "price_unit": price_unit,
                "discount": discount,
            }
        )

    @classmethod
    def _create_order(cls, partner=None, lines=None, user=None, **vals):
        """Create an order as ``user`` (the salesman by default). ``lines`` is a
        list of ``(quantity, price_unit, discount)``; one line of 1 × 10.0 when not
        given, none when empty."""
        if lines is None:
            lines = [(1.0, 10.0, 0.0)]
        values = {
            "partner_id": (partner or cls.customer).id,
            "line_ids": [cls._line(*line) for line in lines],
            **vals,
        }
        order = cls.env["crm.order"].with_user(user or cls.salesman).create(values)
        return order.with_env(cls.env)

    @classmethod
    def _move(cls, order, *statuses, user=None):
        """Move ``order`` through ``statuses`` one by one, as ``user`` (the
        salesman by default); a cancelled status is given a cancel reason."""
        for status in statuses:
            reason = cls.cancel_reason.id if status.category == "cancel" else None
            order.with_user(user or cls.salesman).action_set_status(
                status.id, cancel_reason_id=reason
            )
        return order

    def _flush_tracking(self):
        """Run what Odoo runs before a commit: the tracking of the changes, which
        posts the status e-mails (as Odoo's stage templates)."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @classmethod
    def _complete(cls, order, user=None):
        return cls._move(
            order,
            cls.status_payment,
            cls.status_shipment,
            cls.status_receipt,
            cls.status_completed,
            user=user,
        )

    @classmethod
    def _cancel(cls, order, user=None):
        return cls._move(order, cls.status_cancelled, user=user)
