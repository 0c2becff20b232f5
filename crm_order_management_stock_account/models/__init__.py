# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import crm_order_line
from . import product_template
