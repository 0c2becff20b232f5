# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import crm_order_cancel
from . import account_move_reversal
