from . import crm_order_kpi_recompute
from . import crm_order_cancel
