# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_i18n_zh_cn
from . import test_invoice_on_delivery
from . import test_status_loops
