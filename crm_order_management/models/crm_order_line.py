# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import check_client_values, covering_index


class CrmOrderLine(models.Model):
    _name = "crm.order.line"
    _description = "Customer Order Line"
    _order = "order_id, sequence, id"
    _check_company_auto = True

    # Indexed by init(), with the product beside it.
    order_id = fields.Many2one(
        "crm.order",
        required=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(
        related="order_id.currency_id", store=True, precompute=True
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        index=True,
        ondelete="restrict",
        domain="[('sale_ok', '=', True)]",
    )
    product_type = fields.Selection(related="product_id.type", string="Product Type")
    service_kind = fields.Selection(related="product_id.service_kind")
    name = fields.Text(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    quantity = fields.Float(
        required=True, default=1.0, digits="Product Unit of Measure"
    )
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        ondelete="restrict",
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    price_unit = fields.Float(
        string="Unit Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        digits="Product Price",
    )
    discount = fields.Float(string="Discount (%)", digits="Discount", default=0.0)
    price_undiscounted = fields.Monetary(
        string="Before Discount",
        compute="_compute_amounts",
        store=True,
        precompute=True,
    )
    price_subtotal = fields.Monetary(
        string="Subtotal", compute="_compute_amounts", store=True, precompute=True
    )
    status_category = fields.Selection(related="order_id.status_category")

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK (quantity > 0)",
            "The quantity of an order line must be greater than zero.",
        ),
        (
            "price_unit_not_negative",
            "CHECK (price_unit >= 0)",
            "The unit price of an order line cannot be negative.",
        ),
        (
            "discount_range",
            "CHECK (discount >= 0 AND discount <= 100)",
            "The discount of an order line must be between 0 and 100%.",
        ),
    ]

    def init(self):
        # The index of the order's lines also carries their product: the metrics
        # count the distinct products of a period's orders from the index alone
        # (an index-only scan per order) instead of reading every line of the
        # table, which made the daily run and a recomputation twice as slow at a
        # million orders (bench/bench_kpi.py).
        covering_index(
            self, "order_id", "crm_order_line_order_id_product_id_index", ["product_id"]
        )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("product_id")
    def _compute_name(self):
        # one description per product for the whole batch (lines of many orders
        # share their products)
        descriptions = {}
        for line in self:
            product = line.product_id
            if product:
                if product not in descriptions:
                    descriptions[product] = (
                        product.get_product_multiline_description_sale()
                    )
                line.name = descriptions[product]

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            if not line.product_uom_id or (
                line.product_id
                and line.product_uom_id.category_id
                != line.product_id.uom_id.category_id
            ):
                line.product_uom_id = line.product_id.uom_id

    @api.depends("product_id", "product_uom_id")
    def _compute_price_unit(self):
        # one price per product and unit for the whole batch
        prices = {}
        for line in self:
            product = line.product_id
            if not product:
                continue
            key = (product, line.product_uom_id)
            if key not in prices:
                price = product.lst_price
                if line.product_uom_id and line.product_uom_id != product.uom_id:
                    price = product.uom_id._compute_price(price, line.product_uom_id)
                prices[key] = price
            line.price_unit = prices[key]

    @api.depends("quantity", "price_unit", "discount", "currency_id")
    def _compute_amounts(self):
        for line in self:
            gross = line.quantity * line.price_unit
            net = gross * (1 - (line.discount or 0.0) / 100.0)
            currency = line.currency_id or line.env.company.currency_id
            line.price_undiscounted = currency.round(gross)
            line.price_subtotal = currency.round(net)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list)
        lines = super().create(vals_list)
        lines.order_id._check_lines_editable()
        return lines

    def write(self, vals):
        check_client_values(self, [vals])
        if "order_id" in vals and any(
            line.order_id.id != vals["order_id"] for line in self
        ):
            raise UserError(
                self.env._("An order line cannot be moved to another order.")
            )
        self.order_id._check_lines_editable()
        res = super().write(vals)
        if "order_id" in vals:
            self.order_id._check_lines_editable()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked_order(self):
        self.order_id._check_lines_editable()
        for order in self.order_id.filtered(lambda o: o.status_category != "draft"):
            if not order.line_ids - self:
                raise UserError(
                    self.env._(
                        "Order %(order)s has left draft: it keeps at least one line.",
                        order=order.name,
                    )
                )
