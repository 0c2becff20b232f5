# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a new user meets in the views: the actions' default filters, the menus,
the columns and labels (issue 10)."""

import ast
from datetime import date, timedelta

from lxml import etree

from odoo import Command
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.crm_order_management.report import kpi_formulas as kpi

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderViews(CrmOrderCommon):
    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _action(self, xmlid):
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def _arch(self, model, view_type, view_id=False, user=None):
        Model = self.env[model].with_user(user or self.env.user)
        views = Model.get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def _search_filter_domain(self, model, view_id, name):
        arch = self._arch(model, "search", view_id)
        (node,) = arch.xpath(f"//filter[@name='{name}']")
        return ast.literal_eval(node.get("domain"))

    # ------------------------------------------------------------
    # ORDER METRICS: OPENED ON THE MONTHS, ALL TYPES TOGETHER
    # ------------------------------------------------------------

    def test_metrics_menu_opens_on_months_all_types(self):
        action = self._action("crm_order_management.crm_order_kpi_action")
        context = safe_eval(action["context"])
        self.assertEqual(
            context,
            {"search_default_granularity_month": 1, "search_default_all_types": 1},
        )
        menu = self.env.ref("crm_order_management.crm_order_kpi_menu")
        self.assertEqual(menu.action.id, action["id"])

    def test_metrics_default_filters_select_month_and_all_types_rows(self):
        search_view = self.env.ref("crm_order_management.crm_order_kpi_view_search")
        self.assertEqual(
            self._action("crm_order_management.crm_order_kpi_action")["search_view_id"][
                0
            ],
            search_view.id,
        )
        month = self._search_filter_domain(
            "crm.order.kpi", search_view.id, "granularity_month"
        )
        all_types = self._search_filter_domain(
            "crm.order.kpi", search_view.id, "all_types"
        )
        self.assertEqual(month, [("granularity", "=", "month")])
        self.assertEqual(all_types, [("order_type_id", "=", False)])
        # March 2024 recomputed for days and months: the filters keep the one
        # month row per company with no type.
        Kpi = self.env["crm.order.kpi"]
        Kpi.recompute_range("2024-03-01", "2024-03-03", ["day", "month"])
        shown = Kpi.search(
            month
            + all_types
            + [("date_start", ">=", "2024-02-01"), ("date_start", "<=", "2024-03-31")]
        )
        companies = self.env["res.company"].search([])
        self.assertEqual(len(shown), len(companies))
        self.assertEqual(
            set(shown.mapped(lambda k: (k.granularity, str(k.date_start)))),
            {("month", "2024-03-01")},
        )
        self.assertFalse(shown.order_type_id)

    # ------------------------------------------------------------
    # MENUS: ALSO UNDER CRM'S REPORTING AND CONFIGURATION
    # ------------------------------------------------------------

    def _menu_rows(self, parent_xmlid):
        parent = self.env.ref(parent_xmlid)
        menus = self.env["ir.ui.menu"].search([("parent_id", "=", parent.id)])
        return {
            menu.name: (menu.action.xml_id if menu.action else False, menu.groups_id)
            for menu in menus
        }

    def test_crm_reporting_holds_order_analysis_and_metrics(self):
        rows = self._menu_rows("crm.crm_menu_report")
        ref = self.env.ref
        self.assertEqual(
            rows["Order Analysis"],
            (
                "crm_order_management.crm_order_action_analysis",
                ref("sales_team.group_sale_salesman"),
            ),
        )
        self.assertEqual(
            rows["Order Metrics"],
            (
                "crm_order_management.crm_order_kpi_action",
                ref("sales_team.group_sale_salesman_all_leads"),
            ),
        )
        # the Orders menu keeps its own reports
        orders_reporting = self._menu_rows(
            "crm_order_management.crm_order_menu_reporting"
        )
        self.assertEqual(
            orders_reporting["Order Metrics"][0],
            "crm_order_management.crm_order_kpi_action",
        )
        self.assertEqual(
            orders_reporting["Order Analysis"][0],
            "crm_order_management.crm_order_action_analysis",
        )

    def test_crm_configuration_holds_the_orders_settings(self):
        section = self.env.ref("crm_order_management.crm_menu_config_crm_order")
        self.assertEqual(section.parent_id, self.env.ref("crm.crm_menu_config"))
        self.assertEqual(section.name, "Orders")
        self.assertEqual(
            section.groups_id, self.env.ref("sales_team.group_sale_manager")
        )
        rows = self._menu_rows("crm_order_management.crm_menu_config_crm_order")
        self.assertEqual(
            {name: action for name, (action, _groups) in rows.items()},
            {
                "Order Types": "crm_order_management.crm_order_type_action",
                "Order Statuses": "crm_order_management.crm_order_status_action",
                "Transitions": "crm_order_management.crm_order_transition_action",
                "Cancel Reasons": "crm_order_management.crm_order_cancel_reason_action",
            },
        )
        # the same actions as the Orders' own Configuration menu
        own = self._menu_rows("crm_order_management.crm_order_menu_config")
        self.assertEqual(
            {name: action for name, (action, _groups) in own.items()},
            {name: action for name, (action, _groups) in rows.items()},
        )

    def test_crm_menus_follow_the_groups(self):
        Menu = self.env["ir.ui.menu"]
        ref = self.env.ref
        analysis = ref("crm_order_management.crm_menu_report_crm_order_analysis")
        metrics = ref("crm_order_management.crm_menu_report_crm_order_kpi")
        config = ref("crm_order_management.crm_menu_config_crm_order")
        for user, visible in (
            (self.salesman, {analysis}),
            (self.salesman_all, {analysis, metrics}),
            (self.manager, {analysis, metrics, config}),
        ):
            with self.subTest(user=user.login):
                shown = Menu.with_user(user)._visible_menu_ids()
                self.assertEqual(
                    {m for m in (analysis, metrics, config) if m.id in shown},
                    visible,
                )


@tagged("post_install", "-at_install")
class TestCrmOrderDemoMetrics(TransactionCase):
    """On a database with the demo data, Order Metrics has figures from the start:
    the demo ends by measuring its half year."""

    def test_demo_months_have_metrics(self):
        Order = self.env["crm.order"]
        demo_ids = (
            self.env["ir.model.data"]
            .search(
                [
                    ("module", "=", "crm_order_management"),
                    ("model", "=", "crm.order"),
                    ("name", "=like", "order\\_%\\_demo"),
                ]
            )
            .mapped("res_id")
        )
        # the addon's tests run on a database installed with the demo data
        self.assertTrue(demo_ids, "the demo data is loaded")
        demo_orders = Order.browse(demo_ids)
        company = demo_orders.company_id
        self.assertEqual(len(company), 1)
        first = min(demo_orders.mapped("date_order")).date()
        last = max(demo_orders.mapped("date_order")).date()
        months = kpi.periods_between("month", first, last)
        self.assertGreaterEqual(len(months), 6, "the demo spans half a year")
        Kpi = self.env["crm.order.kpi"]
        for start in months:
            end = kpi.period_end("month", start)
            with self.subTest(month=start):
                snapshot = Kpi.search(
                    [
                        ("granularity", "=", "month"),
                        ("date_start", "=", start),
                        ("company_id", "=", company.id),
                        ("order_type_id", "=", False),
                    ]
                )
                self.assertEqual(len(snapshot), 1)
                # checked by hand: the orders dated in the month, their customers
                # (those the snapshot could count: on a database reused after
                # other tests, orders created since are not in it)
                orders = Order.search(
                    [
                        ("company_id", "=", company.id),
                        ("date_order", ">=", f"{start} 00:00:00"),
                        ("date_order", "<", f"{end} 00:00:00"),
                        ("create_date", "<=", snapshot.computed_at),
                    ]
                )
                self.assertTrue(orders)
                self.assertEqual(snapshot.order_count, len(orders))
                self.assertEqual(
                    snapshot.customer_count,
                    len(orders.partner_id.commercial_partner_id),
                )
                self.assertEqual(
                    snapshot.product_count, len(orders.line_ids.product_id)
                )
                if snapshot.success_rate is False:
                    self.assertIs(snapshot.metric_o, False)
                else:
                    self.assertAlmostEqual(
                        snapshot.metric_o,
                        snapshot.customer_count
                        * snapshot.product_count
                        * snapshot.success_rate,
                    )
        # and the days and weeks of the range
        for granularity in ("day", "week"):
            starts = kpi.periods_between(granularity, first, last)
            self.assertEqual(
                Kpi.search_count(
                    [
                        ("granularity", "=", granularity),
                        ("date_start", "in", starts),
                        ("company_id", "=", company.id),
                        ("order_type_id", "=", False),
                    ]
                ),
                len(starts),
            )


@tagged("post_install", "-at_install")
class TestCrmOrderDemoChatter(TransactionCase):
    """The demo orders' chatters tell their history as Odoo's tracking would have
    told it: the creation, then each status change, backdated and signed by who
    made it (the demo is loaded with tracking disabled)."""

    def test_demo_order_chatter_tells_its_history(self):
        ref = self.env.ref
        order = ref("crm_order_management.order_002_demo")
        history = order.status_history_ids.sorted(lambda h: (h.date, h.id))
        messages = order.message_ids.sorted("id")
        self.assertEqual(len(history), 5)
        self.assertEqual(len(messages), len(history))
        self.assertEqual(messages.mapped("date"), history.mapped("date"))
        # the demo's moments, from its creation: 170 d 10 h before the
        # installation, then 166 d 23 h, 162 d 5 h, 158 d 7 h and 154 d 20 h before
        # (in minutes: each is taken from the clock as the demo loads)
        minute = timedelta(minutes=1)
        self.assertEqual(
            [round((m.date - messages[0].date) / minute) for m in messages[1:]],
            [
                timedelta(days=3, hours=11) // minute,
                timedelta(days=8, hours=5) // minute,
                timedelta(days=12, hours=3) // minute,
                timedelta(days=15, hours=14) // minute,
            ],
        )
        marc = ref("base.user_demo").partner_id
        note = ref("mail.mt_note")
        self.assertRecordValues(
            messages,
            [
                {
                    "author_id": marc.id,
                    "message_type": "notification",
                    "subtype_id": note.id,
                    "model": "crm.order",
                    "res_id": order.id,
                }
            ]
            * 5,
        )
        self.assertEqual(str(messages[0].body), "<p>Customer Order created</p>")
        self.assertFalse(messages[0].tracking_value_ids)
        status_field = self.env["ir.model.fields"]._get("crm.order", "status_id")
        names = [
            "Draft",
            "Awaiting Payment",
            "Awaiting Shipment",
            "Awaiting Receipt",
            "Completed",
        ]
        statuses = [
            ref(f"crm_order_management.order_status_{xmlid}")
            for xmlid in (
                "draft",
                "awaiting_payment",
                "awaiting_shipment",
                "awaiting_receipt",
                "completed",
            )
        ]
        for index, message in enumerate(messages[1:]):
            with self.subTest(change=f"{names[index]} → {names[index + 1]}"):
                self.assertFalse(message.body)
                self.assertRecordValues(
                    message.tracking_value_ids,
                    [
                        {
                            "field_id": status_field.id,
                            "old_value_char": names[index],
                            "new_value_char": names[index + 1],
                            "old_value_integer": statuses[index].id,
                            "new_value_integer": statuses[index + 1].id,
                        }
                    ],
                )
        # once only: a second call leaves the chatters as they are
        count = self.env["mail.message"].search_count([("model", "=", "crm.order")])
        self.env["crm.order"]._demo_log_history()
        self.assertEqual(
            self.env["mail.message"].search_count([("model", "=", "crm.order")]), count
        )

    def test_every_demo_order_has_one_message_per_history_row(self):
        demo_ids = (
            self.env["ir.model.data"]
            .search(
                [("module", "=", "crm_order_management"), ("model", "=", "crm.order")]
            )
            .mapped("res_id")
        )
        orders = self.env["crm.order"].browse(demo_ids)
        self.assertEqual(len(orders), 87)
        for order in orders:
            with self.subTest(order=order.name):
                self.assertEqual(
                    sorted(order.message_ids.mapped("date")),
                    sorted(order.status_history_ids.mapped("date")),
                )


@tagged("post_install", "-at_install")
class TestCrmOrderMetricsList(CrmOrderCommon):
    """The metrics list fits 1366 px: short headers (the tooltip gives the full
    label), the inputs of the formulas shown, the counts behind them optional, and
    the snapshot of all types together says so."""

    def test_metrics_list_columns(self):
        # the view as written (the company column is for multi-company users)
        arch = etree.fromstring(
            self.env.ref("crm_order_management.crm_order_kpi_view_list").arch
        )
        columns = [
            (
                node.get("name"),
                node.get("string"),
                node.get("optional"),
                node.get("width"),
            )
            for node in arch.iter("field")
        ]
        self.assertEqual(
            columns,
            [
                ("date_start", "Start", None, None),
                ("date_end", "End", "hide", None),
                ("granularity", "Period", "show", None),
                ("company_id", None, "show", None),
                ("order_type_id", None, "hide", None),
                ("order_type_label", "Type", "show", None),
                ("customer_count", "C", "show", None),
                ("product_count", "P", "show", None),
                ("completed_count", "Done", "hide", None),
                ("cancelled_count", "Cancelled", "hide", None),
                ("success_rate", "S", "show", "70px"),
                ("order_count", "Orders", "show", None),
                ("processor_count", "N", "hide", None),
                ("processing_hours", "Tp", "show", "70px"),
                ("tracker_count", "M", "hide", None),
                ("tracking_event_count", "Events", "hide", None),
                ("tracked_order_count", "Tracked", "hide", None),
                ("tracking_avg", "Rp", "show", "70px"),
                ("rated_count", "Rated", "hide", None),
                ("rating_avg", "Ep", "show", "70px"),
                ("metric_o", "O", None, None),
                ("metric_o_reason", None, "hide", None),
                ("metric_t", "T", None, None),
                ("metric_t_reason", None, "hide", None),
                ("metric_r", "R", None, None),
                ("metric_r_reason", None, "hide", None),
                ("metric_e", "E", None, None),
                ("metric_e_reason", None, "hide", None),
                ("computed_at", None, "hide", None),
            ],
        )
        # the header's tooltip: the field's full label and its help
        fields_info = self.env["crm.order.kpi"].fields_get(
            ["customer_count", "processing_hours", "metric_t"], ["string", "help"]
        )
        self.assertEqual(fields_info["customer_count"]["string"], "Customers (C)")
        self.assertEqual(
            fields_info["processing_hours"]["string"], "Avg. Processing Hours (Tp)"
        )
        self.assertEqual(fields_info["metric_t"]["string"], "T = O/N×Tp")
        self.assertEqual(
            fields_info["metric_t"]["help"],
            "Processing: orders / processing staff × average processing hours.",
        )

    def test_all_types_snapshot_says_all_types(self):
        Kpi = self.env["crm.order.kpi"]
        Kpi.recompute_range("2024-03-04", "2024-03-04", ["day"])
        snapshots = Kpi.search(
            [
                ("granularity", "=", "day"),
                ("date_start", "=", "2024-03-04"),
                ("company_id", "=", self.company.id),
                ("order_type_id", "in", [False, self.type_new.id]),
            ]
        )
        self.assertEqual(
            sorted(snapshots.mapped("order_type_label")), ["All types", "New Customer"]
        )
        self.env["res.lang"]._activate_lang("zh_CN")
        self.assertEqual(
            snapshots.with_context(lang="zh_CN")
            .filtered(lambda s: not s.order_type_id)
            .order_type_label,
            "所有类型",
        )


@tagged("post_install", "-at_install")
class TestCrmOrderViewDetails(CrmOrderCommon):
    """The small things a new user trips over in the orders' views."""

    def _view_nodes(self, xmlid, xpath):
        return etree.fromstring(self.env.ref(xmlid).arch).xpath(xpath)

    def test_buttons_hidden_on_an_unsaved_order(self):
        (move_on,) = self._view_nodes(
            "crm_order_management.crm_order_view_form",
            "//header/button[@name='action_next_status']",
        )
        (cancel,) = self._view_nodes(
            "crm_order_management.crm_order_view_form",
            "//header/button[@name='action_cancel']",
        )
        self.assertEqual(move_on.get("invisible"), "not id or not next_status_id")
        self.assertEqual(cancel.get("invisible"), "not id or not cancel_status_id")
        # an unsaved order already has a next status and a cancel status: only
        # `not id` hides the buttons
        form = Form(self.env["crm.order"].with_user(self.salesman))
        form.partner_id = self.customer
        self.assertEqual(form.next_status_id, self.status_payment)
        self.assertEqual(form.cancel_status_id, self.status_cancelled)
        self.assertFalse(form.id)

    def test_line_description_optional_hidden(self):
        (name,) = self._view_nodes(
            "crm_order_management.crm_order_view_form",
            "//field[@name='line_ids']/list/field[@name='name']",
        )
        self.assertEqual(name.get("optional"), "hide")

    def test_order_date_column_is_a_date_wide_enough(self):
        (date_order,) = self._view_nodes(
            "crm_order_management.crm_order_view_list", "//field[@name='date_order']"
        )
        self.assertIsNone(date_order.get("widget"))
        self.assertEqual(safe_eval(date_order.get("options")), {"show_time": False})

    def test_hours_in_previous_status_are_hours(self):
        for xmlid in (
            "crm_order_management.crm_order_status_history_view_list",
            "crm_order_management.crm_order_status_history_view_form",
        ):
            with self.subTest(view=xmlid):
                (duration,) = self._view_nodes(xmlid, "//field[@name='duration_hours']")
                self.assertIsNone(duration.get("widget"))
        field = self.env["crm.order.status.history"]._fields["duration_hours"]
        self.assertEqual((field.type, field.get_digits(self.env)), ("float", (16, 2)))

    def test_satisfaction_shows_its_scale(self):
        (field,) = self._view_nodes(
            "crm_order_management.res_partner_view_form",
            "//field[@name='crm_satisfaction']",
        )
        self.assertEqual(field.get("string"), "Satisfaction (out of 5)")
        self.assertEqual(field.get("invisible"), "not crm_satisfaction")

    def test_transitions_say_everyone_and_all_types_when_empty(self):
        # The list shows what the sets mean on every row, edited or not: labels
        # computed from them; the form edits the sets themselves
        (listing,) = self._view_nodes(
            "crm_order_management.crm_order_transition_view_list", "/list"
        )
        self.assertIsNone(listing.get("editable"))
        self.assertEqual(
            [
                (node.get("name"), node.get("string"))
                for node in listing.xpath("field[@name != 'sequence']")
                if node.get("name").endswith(("label", "_ids"))
            ],
            [("group_label", "Allowed Groups"), ("order_type_label", "Order Types")],
        )
        nodes = self._view_nodes(
            "crm_order_management.crm_order_transition_view_form",
            "//field[@name='group_ids' or @name='order_type_ids']",
        )
        self.assertEqual(
            [(node.get("name"), node.get("placeholder")) for node in nodes],
            [("group_ids", "Everyone"), ("order_type_ids", "All types")],
        )
        action = self.env.ref("crm_order_management.crm_order_transition_action")
        self.assertEqual(action.view_mode, "list,form")

        Transition = self.env["crm.order.transition"]
        for_all = Transition.create(
            {
                "from_status_id": self.status_shipment.id,
                "to_status_id": self.status_draft.id,
            }
        )
        for_some = Transition.create(
            {
                "from_status_id": self.status_receipt.id,
                "to_status_id": self.status_draft.id,
                "group_ids": [
                    Command.set(self.env.ref("sales_team.group_sale_manager").ids)
                ],
                "order_type_ids": [
                    Command.set((self.type_new | self.type_returning).ids)
                ],
            }
        )
        # as the list reads them
        rows = (for_all | for_some).web_read(
            {"group_label": {}, "order_type_label": {}}
        )
        self.assertEqual(
            [(row["group_label"], row["order_type_label"]) for row in rows],
            [
                ("Everyone", "All types"),
                ("Sales / Administrator", "New Customer, Returning Customer"),
            ],
        )
        self.env["res.lang"]._activate_lang("zh_CN")
        in_chinese = for_all.with_context(lang="zh_CN")
        self.assertEqual(
            (in_chinese.group_label, in_chinese.order_type_label),
            ("所有人", "所有类型"),
        )

    def test_kanban_sums_in_currency(self):
        (kanban,) = self._view_nodes(
            "crm_order_management.crm_order_view_kanban", "/kanban"
        )
        self.assertEqual(kanban.get("js_class"), "crm_order_kanban")
        (progressbar,) = kanban.xpath("progressbar")
        self.assertEqual(progressbar.get("sum_field"), "amount_total")
        Order = self.env["crm.order"]
        self.assertEqual(
            Order._fields["amount_total"].get_currency_field(Order), "currency_id"
        )
        self.assertTrue(kanban.xpath("field[@name='currency_id']"))


@tagged("post_install", "-at_install")
class TestCrmOrderRecurrenceForm(CrmOrderCommon):
    """A recurring order without a next occurrence generates nothing: its form
    says so instead of looking active (every 1 month, never ends)."""

    def _note(self):
        arch = etree.fromstring(
            self.env.ref("crm_order_management.crm_order_view_form").arch
        )
        (note,) = arch.xpath("//div[@name='recurrence_not_repeating']")
        return note

    def _note_shown(self, order):
        return not safe_eval(
            self._note().get("invisible"),
            {"recurrence_next_date": order.recurrence_next_date},
        )

    def test_note_and_placeholder(self):
        note = self._note()
        self.assertEqual(
            " ".join("".join(note.itertext()).split()),
            "Not repeating: no order will be generated from this one. "
            "Set the Next Occurrence to start.",
        )
        self.assertEqual(note.getparent().get("name"), "recurrence")
        (next_date,) = note.getparent().xpath(".//field[@name='recurrence_next_date']")
        self.assertEqual(next_date.get("placeholder"), "Not repeating")

    def test_new_recurring_order_says_not_repeating_until_a_next_date(self):
        form = Form(self.env["crm.order"].with_user(self.salesman))
        form.partner_id = self.customer
        form.order_type_id = self.type_recurring
        # what the issue saw: every 1 month, never ends, no next occurrence
        self.assertEqual(
            (
                form.recurrence_interval,
                form.recurrence_unit,
                form.recurrence_end_type,
                form.recurrence_next_date,
            ),
            (1, "month", "never", False),
        )
        order = form.save()
        self.assertTrue(self._note_shown(order))
        form = Form(order.with_user(self.salesman))
        form.recurrence_next_date = date(2024, 3, 4)
        order = form.save()
        self.assertEqual(order.recurrence_id.next_date, date(2024, 3, 4))
        self.assertFalse(self._note_shown(order))


@tagged("post_install", "-at_install")
class TestCrmOrderStatusPath(CrmOrderCommon):
    """The status bar shows the workflow's path (status_path_ids), of which the
    allowed statuses are clickable; the main button names its target."""

    def _order(self):
        return (
            self.env["crm.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "line_ids": [Command.create({"product_id": self.product.id})],
                }
            )
        )

    def test_path_of_a_draft_order(self):
        order = self._order()
        self.assertEqual(order.order_type_id, self.type_new)
        # Cancelled is not a step of the path, although the salesperson may cancel:
        # the Cancel Order button (cancel_status_id) does it, as in sale and crm
        self.assertEqual(
            order.status_path_ids,
            self.status_draft
            | self.status_payment
            | self.status_shipment
            | self.status_receipt
            | self.status_completed,
        )
        self.assertEqual(
            order.allowed_status_ids, self.status_payment | self.status_cancelled
        )
        self.assertEqual(order.cancel_status_id, self.status_cancelled)

    def test_path_shows_a_cancel_status_only_on_an_order_in_it(self):
        refused = self.env["crm.order.status"].create(
            {"name": "Refused by the Customer", "category": "cancel", "sequence": 95}
        )
        self.env["crm.order.transition"].create(
            {"from_status_id": self.status_draft.id, "to_status_id": refused.id}
        )
        order = self._order()
        self.assertEqual(
            order.allowed_status_ids,
            self.status_payment | self.status_cancelled | refused,
        )
        self.assertFalse(
            order.status_path_ids.filtered(lambda s: s.category == "cancel")
        )
        order.action_set_status(refused.id, cancel_reason_id=self.cancel_reason.id)
        self.assertEqual(
            order.status_path_ids.filtered(lambda s: s.category == "cancel"), refused
        )

    def test_path_of_completed_and_cancelled_orders(self):
        main_path = (
            self.status_draft
            | self.status_payment
            | self.status_shipment
            | self.status_receipt
            | self.status_completed
        )
        completed = self._order()
        for _step in range(4):
            completed.action_next_status()
        self.assertEqual(completed.status_id, self.status_completed)
        self.assertEqual(completed.status_path_ids, main_path)
        self.assertFalse(completed.allowed_status_ids)
        cancelled = self._order()
        cancelled.action_set_status(
            self.status_cancelled.id, cancel_reason_id=self.cancel_reason.id
        )
        self.assertEqual(cancelled.status_path_ids, main_path | self.status_cancelled)
        # a sales manager may reopen it: Draft is on the path anyway
        as_manager = cancelled.with_user(self.manager)
        self.assertEqual(as_manager.allowed_status_ids, self.status_draft)
        self.assertEqual(as_manager.status_path_ids, main_path | self.status_cancelled)

    def test_path_follows_the_type_transitions(self):
        # a status reached only by a transition of another type is not on the path
        extra = self.env["crm.order.status"].create(
            {"name": "Awaiting Inspection", "category": "open", "sequence": 35}
        )
        self.env["crm.order.transition"].create(
            {
                "from_status_id": self.status_shipment.id,
                "to_status_id": extra.id,
                "order_type_ids": [Command.set(self.type_competitor.ids)],
            }
        )
        order = self._order()
        self.assertNotIn(extra, order.status_path_ids)
        order.order_type_id = self.type_competitor
        self.assertIn(extra, order.status_path_ids)

    def test_form_status_bar_and_main_button(self):
        arch = etree.fromstring(
            self.env.ref("crm_order_management.crm_order_view_form").arch
        )
        (status,) = arch.xpath("//header/field[@name='status_id']")
        self.assertEqual(
            (status.get("widget"), status.get("domain")),
            ("crm_order_statusbar", "[('id', 'in', status_path_ids)]"),
        )
        (button,) = arch.xpath("//header/button[@name='action_next_status']")
        self.assertEqual(
            [
                (node.tag, node.get("name"), (node.text or "").strip())
                for node in button
            ],
            [("span", None, "Move to"), ("field", "next_status_id", "")],
        )
