# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_delivery
from . import test_demo
from . import test_line_guards
from . import test_server_fields
from . import test_status_chain
from . import test_stock_links
from . import test_i18n_zh_cn
from . import test_portal
from . import test_ui
