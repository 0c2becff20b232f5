# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import NullableFloat, check_client_values


class CrmOrderStatusHistory(models.Model):
    _name = "crm.order.status.history"
    _description = "Order Status History"
    _order = "date desc, id desc"
    _log_access = True

    order_id = fields.Many2one(
        "crm.order", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    order_type_id = fields.Many2one(
        related="order_id.order_type_id", store=True, precompute=True
    )
    status_from_id = fields.Many2one(
        "crm.order.status", string="From", ondelete="restrict"
    )
    status_to_id = fields.Many2one(
        "crm.order.status", string="To", required=True, ondelete="restrict"
    )
    user_id = fields.Many2one("res.users", string="Changed By", required=True)
    change_type = fields.Selection(
        [("user", "By a User"), ("system", "Automatic"), ("import", "Imported")],
        required=True,
        default="user",
        help="Made by a user, by the system (a scheduled action, a payment or "
        "delivery hook), or imported with historical orders.",
    )
    trigger_ref = fields.Reference(
        selection="_selection_trigger_model",
        string="Triggered By",
        help="The record that caused an automatic change (a payment, a delivery).",
    )
    date = fields.Datetime(required=True, index=True)
    duration_hours = fields.Float(
        string="Hours in Previous Status",
        digits=(16, 2),
        help="Time the order spent in the 'From' status before this change.",
    )

    processing_hours = NullableFloat(
        string="Processing Hours",
        digits=(16, 2),
        help="On a change to a done status: hours since the order first left draft "
        "(the processing time the metrics average).",
    )

    @api.model
    def _selection_trigger_model(self):
        return [
            (model.model, model.name)
            for model in self.env["ir.model"].sudo().search([])
        ]

    @api.model_create_multi
    def create(self, vals_list):
        # the workflow engine writes the history; what it takes from the order
        # (company, type) is refused with its name, to clients without the right
        # to create history rows too
        check_client_values(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        check_client_values(self, [vals])
        raise UserError(self.env._("The status history of an order cannot be edited."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The status history of an order cannot be deleted."))
