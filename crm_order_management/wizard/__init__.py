from . import crm_order_kpi_recompute
