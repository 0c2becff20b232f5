# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import check_client_values


class CrmOrderKpiRecompute(models.TransientModel):
    _name = "crm.order.kpi.recompute"
    _description = "Recompute Order Metrics"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=1),
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: fields.Date.context_today(self)
    )
    granularity_day = fields.Boolean(string="Days", default=True)
    granularity_week = fields.Boolean(string="Weeks", default=True)
    granularity_month = fields.Boolean(string="Months", default=True)

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_client_values(self, [vals])
        return super().write(vals)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._("Give a start date on or before the end date.")
                )

    def action_recompute(self):
        self.ensure_one()
        granularities = [
            name for name in ("day", "week", "month") if self[f"granularity_{name}"]
        ]
        if not granularities:
            raise UserError(self.env._("Choose at least one granularity."))
        result = self.env["crm.order.kpi"].recompute_range(
            self.date_from, self.date_to, granularities
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_order_management.crm_order_kpi_action"
        )
        action["domain"] = [
            ("granularity", "in", granularities),
            ("date_end", ">=", self.date_from),
            ("date_start", "<=", self.date_to),
        ]
        # Open filtered like the menu (all types together, months), on the
        # coarsest granularity recomputed when months were not: the filters are
        # facets the user removes to see the rest.
        action["context"] = {
            "search_default_all_types": 1,
            f"search_default_granularity_{granularities[-1]}": 1,
        }
        if isinstance(result, dict):
            message = self.env._(
                "Recomputation of %(count)s periods queued: the scheduled action "
                "computes them in the background (Reporting > Metrics "
                "Recomputations shows its progress).",
                count=result["period_count"],
            )
        else:
            message = self.env._("%(count)s snapshots recomputed.", count=result)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info" if isinstance(result, dict) else "success",
                "message": message,
                "next": action,
            },
        }
