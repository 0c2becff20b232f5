# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import clean_context

from ..tools import check_client_values


class CrmOrderCancel(models.TransientModel):
    _name = "crm.order.cancel"
    _description = "Cancel Order"

    order_id = fields.Many2one("crm.order", required=True, ondelete="cascade")
    cancel_reason_id = fields.Many2one(
        "crm.order.cancel.reason", string="Reason", required=True
    )
    cancel_note = fields.Text(string="Note")

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_client_values(self, [vals])
        return super().write(vals)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if (
            "order_id" in fields_list
            and not res.get("order_id")
            and self.env.context.get("active_model") == "crm.order"
        ):
            res["order_id"] = self.env.context.get("active_id")
        return res

    def action_confirm(self):
        """Cancel the order: reason, note and status in one write."""
        self.ensure_one()
        # The wizard's defaults (default_order_id) are not the order's.
        order = self.order_id.with_context(clean_context(self.env.context))
        if not order.cancel_status_id:
            raise UserError(order._transition_refused_message(None))
        order.write(
            {
                "cancel_reason_id": self.cancel_reason_id.id,
                "cancel_note": self.cancel_note,
                "status_id": order.cancel_status_id.id,
            }
        )
        return {"type": "ir.actions.act_window_close"}
