from . import controllers
from . import models
from . import report
from . import wizard


def uninstall_hook(env):
    # The metrics' change triggers live on the addon's tables, dropped with them;
    # their functions and table are not Odoo's to remove.
    env["crm.order.kpi"]._drop_change_triggers()
