# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class CrmOrderLine(models.Model):
    _inherit = "crm.order.line"

    @api.depends(
        "quantity", "qty_invoiced", "qty_delivered", "order_id.status_category"
    )
    def _compute_qty_to_invoice(self):
        return super()._compute_qty_to_invoice()

    def _invoiceable_quantity(self):
        """Goods of products invoiced on delivery: what was delivered (returns
        deducted); everything else: what was ordered."""
        self.ensure_one()
        if self.product_id.invoice_policy == "delivery" and self._is_delivered_good():
            return self.qty_delivered
        return super()._invoiceable_quantity()
