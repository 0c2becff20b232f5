# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.crm_order_management.tools import with_server_values

from .crm_order_line import INVOICE_STATUSES

# A cancellation that leaves posted invoices open, knowingly (the cancel dialog's
# box): the context key's value is an object, which no client can send.
CANCEL_OPEN_INVOICES = "crm_order_cancel_open_invoices"
KEEP_OPEN_INVOICES = object()


class CrmOrder(models.Model):
    _inherit = "crm.order"

    fiscal_position_id = fields.Many2one(
        "account.fiscal.position",
        compute="_compute_fiscal_position_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        help="Maps the products' taxes (and the invoices' accounts) for this "
        "customer; from the customer by default.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms",
        compute="_compute_payment_term_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    amount_tax = fields.Monetary(string="Taxes", compute="_compute_amounts", store=True)
    tax_totals = fields.Binary(compute="_compute_tax_totals", exportable=False)
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_invoice_ids",
        compute_sudo=True,
        search="_search_invoice_ids",
        copy=False,
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    invoice_count = fields.Integer(
        compute="_compute_invoice_ids",
        compute_sudo=True,
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    invoice_status = fields.Selection(
        INVOICE_STATUSES,
        compute="_compute_invoice_status",
        store=True,
    )
    payment_state = fields.Selection(
        [
            ("not_paid", "Not Paid"),
            ("partial", "Partially Paid"),
            ("paid", "Paid"),
        ],
        compute="_compute_payment_state",
        store=True,
        help="From the order's posted customer invoices: paid when everything is "
        "invoiced and every invoice is paid.",
    )

    @api.depends("partner_id", "company_id")
    def _compute_fiscal_position_id(self):
        cache = {}
        for order in self:
            key = (order.company_id.id, order.partner_id.id)
            if key not in cache:
                cache[key] = (
                    self.env["account.fiscal.position"]
                    .with_company(order.company_id)
                    ._get_fiscal_position(order.partner_id)
                    if order.partner_id
                    else self.env["account.fiscal.position"]
                )
            order.fiscal_position_id = cache[key]

    @api.depends("partner_id", "company_id")
    def _compute_payment_term_id(self):
        for order in self:
            order.payment_term_id = order.partner_id.with_company(
                order.company_id
            ).property_payment_term_id

    def _tax_base_lines(self):
        """The order's lines for Odoo's tax engine, with their taxes computed and
        rounded as the company rounds them (per line or globally)."""
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        base_lines = [
            line._prepare_base_line_for_taxes_computation() for line in self.line_ids
        ]
        AccountTax._add_tax_details_in_base_lines(base_lines, self.company_id)
        AccountTax._round_base_lines_tax_details(base_lines, self.company_id)
        return base_lines

    def _tax_totals_summary(self):
        self.ensure_one()
        return self.env["account.tax"]._get_tax_totals_summary(
            base_lines=self._tax_base_lines(),
            currency=self.currency_id or self.company_id.currency_id,
            company=self.company_id,
        )

    @api.depends(
        "line_ids.price_subtotal",
        "line_ids.price_undiscounted",
        "line_ids.tax_ids",
        "currency_id",
        "company_id",
    )
    def _compute_amounts(self):
        for order in self:
            totals = order._tax_totals_summary()
            undiscounted = sum(order.line_ids.mapped("price_undiscounted"))
            order.amount_undiscounted = undiscounted
            order.amount_untaxed = totals["base_amount_currency"]
            order.amount_tax = totals["tax_amount_currency"]
            order.amount_total = totals["total_amount_currency"]
            order.amount_discount = order.currency_id.round(
                undiscounted - order.amount_untaxed
            )

    @api.depends_context("lang")
    @api.depends("line_ids.price_subtotal", "line_ids.tax_ids", "currency_id")
    def _compute_tax_totals(self):
        for order in self:
            order.tax_totals = order._tax_totals_summary()

    @api.depends("line_ids.invoice_line_ids.move_id")
    def _compute_invoice_ids(self):
        for order in self:
            invoices = order.line_ids.invoice_line_ids.move_id.filtered(
                lambda move: move.move_type in ("out_invoice", "out_refund")
            )
            order.invoice_ids = invoices
            order.invoice_count = len(invoices)

    def _search_invoice_ids(self, operator, value):
        return [("line_ids.invoice_line_ids.move_id", operator, value)]

    @api.depends("line_ids.invoice_status")
    def _compute_invoice_status(self):
        for order in self:
            statuses = set(order.line_ids.mapped("invoice_status"))
            if "to invoice" in statuses:
                order.invoice_status = "to invoice"
            elif statuses == {"invoiced"} or statuses == {"invoiced", "no"}:
                order.invoice_status = "invoiced"
            else:
                order.invoice_status = "no"

    @api.depends(
        "invoice_status",
        "amount_total",
        "line_ids.invoice_line_ids.move_id.state",
        "line_ids.invoice_line_ids.move_id.payment_state",
        "line_ids.invoice_line_ids.move_id.amount_total",
        "line_ids.invoice_line_ids.move_id.amount_residual",
    )
    def _compute_payment_state(self):
        """Amounts, not only states: paid when everything is invoiced and what
        was received (credit notes deducted) covers the order's total; partially
        when something was received."""
        for order in self.sudo():
            rounding = order.currency_id.rounding or 0.01
            invoiced = received = 0.0
            for move in order._posted_invoices():
                sign = 1 if move.move_type == "out_invoice" else -1
                invoiced += sign * move.amount_total
                received += sign * (move.amount_total - move.amount_residual)
            if (
                order.invoice_status == "invoiced"
                and float_compare(
                    invoiced, order.amount_total, precision_rounding=rounding
                )
                >= 0
                and float_compare(received, invoiced, precision_rounding=rounding) >= 0
            ):
                order.payment_state = "paid"
            elif float_compare(received, 0.0, precision_rounding=rounding) > 0:
                order.payment_state = "partial"
            else:
                order.payment_state = "not_paid"

    def _recompute_payment_state(self):
        """The payment state now, after a payment was made or undone."""
        for fname in ("invoice_status", "payment_state"):
            self.env.add_to_compute(self._fields[fname], self)
        self.flush_recordset(["invoice_status", "payment_state"])

    def _posted_invoices(self):
        self.ensure_one()
        return self.line_ids.invoice_line_ids.move_id.filtered(
            lambda move: move.state == "posted"
            and move.move_type in ("out_invoice", "out_refund")
        )

    def _open_invoices(self):
        """Posted customer invoices not (fully) paid (whoever asks: a salesperson
        without Invoicing rights is told which invoices they are)."""
        return self.sudo().line_ids.invoice_line_ids.move_id.filtered(
            lambda move: move.state == "posted"
            and move.move_type == "out_invoice"
            and move.payment_state in ("not_paid", "partial")
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        """An invoiced order is not deleted, cancelled or not: its lines and their
        links to the invoice lines would go with it (the database deletes them)
        and its invoices would no longer say what they invoiced."""
        # sudo: a sales manager without Invoicing rights is told which invoices
        invoiced = self.sudo().filtered("line_ids.invoice_line_ids")
        if not invoiced:
            return
        orders = []
        for order in invoiced:
            invoices = order.line_ids.invoice_line_ids.move_id.sorted("id")
            orders.append(
                self.env._(
                    "%(order)s (invoices: %(invoices)s)",
                    order=order.name,
                    invoices=", ".join(invoices.mapped("display_name")),
                )
            )
        raise UserError(
            self.env._(
                "Invoiced orders cannot be deleted: %(orders)s.",
                orders="; ".join(orders),
            )
        )

    # ------------------------------------------------------------
    # INVOICING
    # ------------------------------------------------------------

    def _prepare_invoice(self):
        self.ensure_one()
        values = {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "invoice_user_id": self.user_id.id,
            "currency_id": self.currency_id.id,
            "company_id": self.company_id.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "invoice_payment_term_id": self.payment_term_id.id,
            "invoice_origin": self.name,
            "invoice_line_ids": [],
        }
        if "team_id" in self.env["account.move"]._fields:
            values["team_id"] = self.team_id.id
        return values

    def _create_invoices(self):
        """Draft customer invoices of what is not invoiced yet, one per order."""
        invoice_vals = []
        for order in self:
            lines = order.line_ids.filtered(lambda line: line.qty_to_invoice > 0)
            if not lines:
                continue
            values = order._prepare_invoice()
            values["invoice_line_ids"] = [
                fields.Command.create(line._prepare_invoice_line()) for line in lines
            ]
            invoice_vals.append(values)
        if not invoice_vals:
            raise UserError(
                self.env._(
                    "There is nothing to invoice on %(orders)s: an order is invoiced "
                    "once it has left draft, for what is not invoiced yet.",
                    orders=", ".join(self.mapped("name")),
                )
            )
        Move = self.env["account.move"].with_company(self.company_id[:1])
        # the invoice lines name their order lines (a field the server owns)
        return (
            with_server_values(Move)
            .with_context(default_move_type="out_invoice")
            .create(invoice_vals)
            .with_env(Move.env)
        )

    def action_create_invoice(self):
        """Create the draft invoices of what is not invoiced yet; returns their ids
        (for XML-RPC clients; the form's button opens them)."""
        return self._create_invoices().ids

    def action_create_invoice_and_open(self):
        invoices = self._create_invoices()
        return invoices._get_records_action(name=self.env._("Invoices"))

    def action_view_invoices(self):
        self.ensure_one()
        return self.invoice_ids._get_records_action(name=self.env._("Invoices"))

    # ------------------------------------------------------------
    # PAYMENTS AND STATUSES
    # ------------------------------------------------------------

    def _move_on_when_paid(self, invoice, payment=None):
        """Orders fully paid leave a status configured for it (Awaiting Payment by
        default) through the workflow engine, as a system change triggered by the
        payment (the invoice when it was paid without one: a bank statement line,
        a journal entry), whoever registered it. ``invoice`` is the invoice whose
        payment completed the orders' payment."""
        trigger = payment or invoice
        if payment:
            paid_by = self.env._(
                "payment %(payment)s of %(invoice)s",
                payment=payment.name,
                invoice=invoice.name,
            )
        else:
            paid_by = invoice.name
        for order in self.sudo():
            status = order.status_id
            target = status.paid_next_status_id
            if not target or order.payment_state != "paid":
                continue
            if target not in order._allowed_next_statuses(automatic=True):
                # a payment is never refused for the order's configuration
                order.message_post(
                    body=self.env._(
                        "Fully paid (%(paid_by)s), but no transition allows the "
                        "system to move it from %(status)s to %(target)s.",
                        paid_by=paid_by,
                        status=status.name,
                        target=target.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            # sudo: the accountant may not read orders; the engine still checks the
            # transition made by the system
            order._change_status(target, automatic=True, trigger=trigger)
            order.message_post(
                body=self.env._(
                    "Fully paid (%(paid_by)s): moved to %(status)s.",
                    paid_by=paid_by,
                    status=target.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _last_payment(self):
        """The order's invoice reconciled last and the payment that paid it (see
        account.move._crm_last_payment; no payment when the invoice was paid
        without one): ``(invoice, payment)``."""
        self.ensure_one()

        def reconciled_last(invoice):
            lines = invoice.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            partials = lines.matched_debit_ids | lines.matched_credit_ids
            return max(partials.ids, default=0), invoice.id

        invoices = (
            self.sudo()
            ._posted_invoices()
            .filtered(lambda move: move.move_type == "out_invoice")
        )
        invoice = invoices.sorted(reconciled_last)[-1:]
        if not invoice:
            return invoice, self.env["account.payment"]
        return invoice, invoice._crm_last_payment()

    def _run_status_automation(self):
        """An order that enters a status it leaves when paid (Awaiting Payment by
        default) while already fully paid (paid before it got there) moves on at
        once, as the payment would have moved it: a system change triggered by the
        order's last payment."""
        entered = {order.id: order.status_id for order in self}
        res = super()._run_status_automation()
        for order in self.sudo():
            # (not when the automation of the status moved it already)
            if (
                order.status_id == entered[order.id]
                and order.status_id.paid_next_status_id
                and order.payment_state == "paid"
            ):
                invoice, payment = order._last_payment()
                if invoice:  # (paid by posted invoices, not only by drafts)
                    order._move_on_when_paid(invoice, payment)
        return res

    def _warn_payment_reversed(self, invoices):
        """A payment undone after the order moved on: the order stays where it is;
        its salesperson gets an activity."""
        for order in self.sudo():
            if order.payment_state == "paid" or not order.user_id:
                continue
            order.activity_schedule(
                "mail.mail_activity_data_warning",
                user_id=order.user_id.id,
                summary=self.env._("Payment reversed"),
                note=self.env._(
                    "The payment of %(invoices)s was reversed after the order moved "
                    "on: check with the customer.",
                    invoices=", ".join(invoices.mapped("name")),
                ),
            )

    def _change_status(self, status, vals=None, automatic=False, trigger=None):
        if (
            status.category == "cancel"
            and self.env.context.get(CANCEL_OPEN_INVOICES) is not KEEP_OPEN_INVOICES
        ):
            open_invoices = self._open_invoices()
            if open_invoices:
                raise UserError(
                    self.env._(
                        "These posted invoices are not paid: %(invoices)s. Cancel the "
                        "order from its Cancel dialog, confirming that they stay "
                        "open, or credit them first.",
                        invoices=", ".join(open_invoices.mapped("name")),
                    )
                )
        return super()._change_status(
            status, vals=vals, automatic=automatic, trigger=trigger
        )

    # ------------------------------------------------------------
    # DEMO DATA
    # ------------------------------------------------------------

    @api.model
    def _demo_invoicing(self):
        """The glue's demo data (demo/crm_order_account_demo.xml, loaded once at
        installation): does nothing on a company whose orders are invoiced
        already, so that running it again invoices and pays nothing more."""
        company = self.env.company
        if self.env["crm.order.line"].search_count(
            [("company_id", "=", company.id), ("invoice_line_ids", "!=", False)],
            limit=1,
        ):
            return
        tax = company.account_sale_tax_id
        journal = self.env["account.journal"].search(
            [("type", "in", ("bank", "cash")), ("company_id", "=", company.id)],
            limit=1,
        )
        if not tax or not journal:
            return
        products = self.env["product.product"].browse(
            self.env["ir.model.data"]
            .search(
                [
                    ("module", "=", "crm_order_management"),
                    ("model", "=", "product.product"),
                ]
            )
            .mapped("res_id")
        )
        products.product_tmpl_id.taxes_id = tax
        orders = self.search(
            [("company_id", "=", company.id), ("status_category", "!=", "draft")]
        )
        lines = orders.line_ids.filtered(lambda line: line.product_id in products)
        # computed as at the orders' creation, locked lines included
        for fname in ("tax_ids", "price_subtotal"):
            self.env.add_to_compute(lines._fields[fname], lines)
        self.env.flush_all()
        awaiting = self.search(
            [
                ("company_id", "=", company.id),
                ("status_id.paid_next_status_id", "!=", False),
                ("invoice_status", "=", "to invoice"),
            ],
            order="date_order, id",
            limit=3,
        )
        for index, order in enumerate(awaiting):
            invoice = order._create_invoices()
            invoice.action_post()
            amount = invoice.amount_total if index < 2 else invoice.amount_total / 2
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": amount, "journal_id": journal.id})._create_payments()
