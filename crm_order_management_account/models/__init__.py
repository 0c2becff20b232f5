# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import account_move
from . import account_move_line
from . import account_partial_reconcile
from . import crm_order
from . import crm_order_line
from . import crm_order_status
