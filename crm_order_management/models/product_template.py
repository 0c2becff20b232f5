# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

SERVICE_KINDS = [
    ("after_sales", "After-sales Service"),
    ("support", "Technical Support"),
    ("training", "Training"),
    ("other", "Other Service"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    service_kind = fields.Selection(
        SERVICE_KINDS,
        compute="_compute_service_kind",
        store=True,
        readonly=False,
        help="What kind of service this is, for services sold on customer orders.",
    )

    @api.depends("type")
    def _compute_service_kind(self):
        for template in self:
            if template.type != "service":
                template.service_kind = False
            elif not template.service_kind:
                template.service_kind = "other"
