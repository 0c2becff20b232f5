# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmOrderStatus(models.Model):
    _inherit = "crm.order.status"

    paid_next_status_id = fields.Many2one(
        "crm.order.status",
        string="When Paid, Move To",
        help="When an order in this status is fully paid (its invoices), it moves to "
        "this status by itself, as a change by the system: a transition between the "
        "two statuses must allow changes by the system. An order that enters this "
        "status already fully paid moves on at once.",
    )

    @api.constrains("paid_next_status_id")
    def _check_paid_next_status_id(self):
        # a paid order entering a status moves on at once: a loop of such statuses
        # would move it round for ever
        if self._has_cycle("paid_next_status_id"):
            raise ValidationError(
                self.env._(
                    "The statuses that paid orders move on to cannot lead back to "
                    "where they started (%(statuses)s).",
                    statuses=", ".join(self.mapped("name")),
                )
            )
        # nor a loop mixed with the statuses of other automatic moves (delivered)
        self._check_automatic_loop()

    def _automatic_next_fields(self):
        return [*super()._automatic_next_fields(), "paid_next_status_id"]
