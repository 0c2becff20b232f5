# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_crm_order_account
from . import test_crm_order_account_audit
from . import test_i18n_zh_cn
from . import test_ui
