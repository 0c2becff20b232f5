# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmOrderStatus(models.Model):
    _inherit = "crm.order.status"

    deliver_on_enter = fields.Boolean(
        string="Deliver on Entering",
        help="Orders entering this status get delivery orders in Inventory for "
        "their goods (not their services), from their company's warehouse.",
    )
    delivered_status_id = fields.Many2one(
        "crm.order.status",
        string="When Delivered, Move To",
        ondelete="set null",
        help="Orders in this status move on to that status by themselves once all "
        "their goods are delivered (an order of services only moves on as soon as "
        "it enters this status). The transition must be allowed to the system.",
    )

    @api.constrains("delivered_status_id")
    def _check_delivered_status_id(self):
        for status in self:
            if status.delivered_status_id == status:
                raise ValidationError(
                    self.env._(
                        "Status %(status)s cannot move on to itself when its orders "
                        "are delivered.",
                        status=status.name,
                    )
                )
        # an order of services only would move on along the chain for ever
        if self._has_cycle("delivered_status_id"):
            for status in self:
                chain = status
                target = status.delivered_status_id
                while target and target not in chain:
                    chain |= target
                    target = target.delivered_status_id
                if target:
                    raise ValidationError(
                        self.env._(
                            "The statuses orders move on to once delivered cannot "
                            'loop: %(chain)s. Clear "When Delivered, Move To" on '
                            "one of them.",
                            chain=" → ".join([*chain.mapped("name"), target.name]),
                        )
                    )
        # nor a loop mixed with the statuses of other automatic moves (paid)
        self._check_automatic_loop()

    def _automatic_next_fields(self):
        return [*super()._automatic_next_fields(), "delivered_status_id"]
