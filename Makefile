# The two commands of README.md. Settings come from the environment:
#   ODOO_SRC        Odoo 18.0 source tree          (default /opt/odoo-18.0)
#   ODOO_DB         database of `make run`          (default crm_order_demo)
#   ODOO_HTTP_PORT  HTTP port of `make run`         (default 8069)
#   ODOO_VENV       virtual environment             (default ~/.cache/crm_order_management/venv-<python version>)
#   PGHOST PGPORT PGUSER PGPASSWORD                 (default: local server, role "odoo")
.PHONY: run test lint setup bench-create bench-kpi screenshots

run:
	bash tools/run.sh

test:
	bash tools/test.sh

lint:
	bash tools/test.sh --lint-only

setup:
	bash tools/setup.sh

bench-create:
	bash tools/bench.sh bench/bench_order_create.py

bench-kpi:
	bash tools/bench.sh bench/bench_kpi.py

# The README's screenshots, from the server of `make run` (ODOO_DB, ODOO_HTTP_PORT);
# more options: bash tools/bench.sh tools/screenshots.py --help
screenshots:
	bash tools/bench.sh tools/screenshots.py
