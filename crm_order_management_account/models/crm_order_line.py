# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# of a line and of its order
INVOICE_STATUSES = [
    ("no", "Nothing to Invoice"),
    ("to invoice", "To Invoice"),
    ("invoiced", "Fully Invoiced"),
]


class CrmOrderLine(models.Model):
    _inherit = "crm.order.line"
    # linked from the invoice lines (account.move.line.crm_order_line_ids)
    _crm_server_fields = ("invoice_line_ids",)

    tax_ids = fields.Many2many(
        "account.tax",
        string="Taxes",
        compute="_compute_tax_ids",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('type_tax_use', '=', 'sale')]",
        help="Defaults to the product's customer taxes, mapped by the order's fiscal "
        "position.",
    )
    price_tax = fields.Monetary(
        string="Tax", compute="_compute_amounts", store=True, precompute=True
    )
    price_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True, precompute=True
    )
    invoice_line_ids = fields.Many2many(
        "account.move.line",
        "crm_order_line_invoice_rel",
        "order_line_id",
        "invoice_line_id",
        string="Invoice Lines",
        copy=False,
        readonly=True,
    )
    qty_invoiced = fields.Float(
        string="Invoiced Quantity",
        compute="_compute_qty_invoiced",
        store=True,
        digits="Product Unit of Measure",
        help="Quantity on customer invoices (credit notes deducted), in the line's "
        "unit; cancelled invoices do not count.",
    )
    qty_to_invoice = fields.Float(
        string="Quantity to Invoice",
        compute="_compute_qty_to_invoice",
        store=True,
        digits="Product Unit of Measure",
    )
    invoice_status = fields.Selection(
        INVOICE_STATUSES,
        compute="_compute_invoice_status",
        store=True,
    )

    @api.depends("product_id", "company_id", "order_id.fiscal_position_id")
    def _compute_tax_ids(self):
        # the taxes of a product in a company through a fiscal position, once for
        # the whole batch (lines of many orders share them)
        mapped = {}
        for line in self:
            company = line.company_id or line.env.company
            fiscal_position = line.order_id.fiscal_position_id
            key = (line.product_id, company, fiscal_position)
            if key not in mapped:
                taxes = line.product_id.taxes_id._filter_taxes_by_company(company)
                mapped[key] = fiscal_position.map_tax(taxes)
            line.tax_ids = mapped[key]

    def _prepare_base_line_for_taxes_computation(self, **kwargs):
        """The line for Odoo's tax engine (account.tax), as sale order lines give
        theirs."""
        self.ensure_one()
        order = self.order_id
        return self.env["account.tax"]._prepare_base_line_for_taxes_computation(
            self,
            **{
                "tax_ids": self.tax_ids,
                "quantity": self.quantity,
                "partner_id": order.partner_id,
                "currency_id": self.currency_id or order.company_id.currency_id,
                **kwargs,
            },
        )

    @api.depends("quantity", "price_unit", "discount", "currency_id", "tax_ids")
    def _compute_amounts(self):
        AccountTax = self.env["account.tax"]
        for line in self:
            company = line.company_id or line.env.company
            base_line = line._prepare_base_line_for_taxes_computation()
            AccountTax._add_tax_details_in_base_line(base_line, company)
            currency = base_line["currency_id"]
            details = base_line["tax_details"]
            line.price_subtotal = currency.round(details["raw_total_excluded_currency"])
            line.price_total = currency.round(details["raw_total_included_currency"])
            line.price_tax = line.price_total - line.price_subtotal
            if not line.discount:
                # the same computation again would give the same figure
                line.price_undiscounted = line.price_subtotal
                continue
            # the same base line without the discount (the tax details are
            # replaced by the engine)
            undiscounted = {**base_line, "discount": 0.0}
            AccountTax._add_tax_details_in_base_line(undiscounted, company)
            line.price_undiscounted = currency.round(
                undiscounted["tax_details"]["raw_total_excluded_currency"]
            )

    @api.depends(
        "invoice_line_ids.move_id.state",
        "invoice_line_ids.quantity",
        "invoice_line_ids.product_uom_id",
    )
    def _compute_qty_invoiced(self):
        for line in self:
            qty = 0.0
            for invoice_line in line.invoice_line_ids:
                move = invoice_line.move_id
                if move.state == "cancel":
                    continue
                quantity = invoice_line.product_uom_id._compute_quantity(
                    invoice_line.quantity, line.product_uom_id
                )
                if move.move_type == "out_invoice":
                    qty += quantity
                elif move.move_type == "out_refund":
                    qty -= quantity
            line.qty_invoiced = qty

    @api.depends("quantity", "qty_invoiced", "order_id.status_category")
    def _compute_qty_to_invoice(self):
        for line in self:
            if line.order_id.status_category in ("open", "done"):
                line.qty_to_invoice = line._invoiceable_quantity() - line.qty_invoiced
            else:
                line.qty_to_invoice = 0.0

    def _invoiceable_quantity(self):
        """What the customer is invoiced for in the end: the ordered quantity (the
        glue with Inventory invoices delivered quantities for products invoiced on
        delivery)."""
        self.ensure_one()
        return self.quantity

    @api.depends("qty_to_invoice", "qty_invoiced", "order_id.status_category")
    def _compute_invoice_status(self):
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        for line in self:
            if line.order_id.status_category not in ("open", "done"):
                line.invoice_status = "no"
            elif float_compare(line.qty_to_invoice, 0.0, precision_digits=precision):
                line.invoice_status = "to invoice"
            elif float_compare(line.qty_invoiced, 0.0, precision_digits=precision):
                line.invoice_status = "invoiced"
            else:
                line.invoice_status = "no"

    def _prepare_invoice_line(self):
        self.ensure_one()
        return {
            "display_type": "product",
            "sequence": self.sequence,
            "name": self.name,
            "product_id": self.product_id.id,
            "product_uom_id": self.product_uom_id.id,
            "quantity": self.qty_to_invoice,
            "price_unit": self.price_unit,
            "discount": self.discount,
            "tax_ids": [fields.Command.set(self.tax_ids.ids)],
            "crm_order_line_ids": [fields.Command.link(self.id)],
        }

    @api.model
    def default_get(self, fields_list):
        # the invoice links are never a default (a client's
        # ``default_invoice_line_ids`` context key): Create Invoice sets them
        return super().default_get(
            [name for name in fields_list if name != "invoice_line_ids"]
        )

    def write(self, vals):
        if "quantity" in vals:
            self._check_invoiced_quantity(vals["quantity"])
        return super().write(vals)

    def _check_invoiced_quantity(self, quantity):
        """A line keeps at least the quantity already invoiced (credit the invoice
        first)."""
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        if not isinstance(quantity, int | float) or isinstance(quantity, bool):
            return  # refused with the field's name by the addon's type checks
        below = self.filtered(
            lambda line: float_compare(
                quantity, line.qty_invoiced, precision_digits=precision
            )
            < 0
        )
        if below:
            raise UserError(
                self.env._(
                    "The quantity of %(line)s cannot drop below the %(invoiced)s "
                    "already invoiced: issue a credit note first.",
                    line=below[0].name or below[0].product_id.display_name,
                    invoiced=below[0].qty_invoiced,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        invoiced = self.filtered("invoice_line_ids")
        if invoiced:
            raise UserError(
                self.env._(
                    "Invoiced lines cannot be deleted (%(lines)s).",
                    lines=", ".join(
                        line.name or line.product_id.display_name for line in invoiced
                    ),
                )
            )
