# The two commands of README.md. Settings come from the environment:
#   ODOO_SRC        Odoo 18.0 source tree          (default /opt/odoo-18.0)
#   ODOO_DB         database of `make run`          (default crm_order_demo)
#   ODOO_HTTP_PORT  HTTP port of `make run`         (default 8069)
#   ODOO_VENV       virtual environment             (default ~/.cache/crm_order_management/venv-<python version>)
#   PGHOST PGPORT PGUSER PGPASSWORD                 (default: local server, role "odoo")
.PHONY: run test lint setup bench-create bench-kpi screenshots cluster cluster-status cluster-stop bench-ui bench-load

run:
	bash tools/run.sh

test:
	bash tools/test.sh

lint:
	bash tools/test.sh --lint-only

setup:
	bash tools/setup.sh

# Two Odoo servers, a PostgreSQL primary and a hot standby (read replica), on
# 127.0.0.1: see tools/cluster.sh. `make cluster-stop` stops them (DROP=1: and
# deletes their data).
cluster:
	bash tools/cluster.sh start

cluster-status:
	bash tools/cluster.sh status

cluster-stop:
	bash tools/cluster.sh stop $(if $(DROP),--drop)

bench-create:
	bash tools/bench.sh bench/bench_order_create.py

bench-kpi:
	bash tools/bench.sh bench/bench_kpi.py

bench-ui:
	bash tools/bench.sh bench/bench_ui.py

# The README's screenshots, from the server of `make run` (ODOO_DB, ODOO_HTTP_PORT);
# more options: bash tools/bench.sh tools/screenshots.py --help
screenshots:
	bash tools/bench.sh tools/screenshots.py

# N users on the cluster for a bounded time, crm.order beside sale.order, then an
# integrity check of the database: bench/bench_load.py (options: --help)
bench-load:
	bash tools/bench.sh bench/bench_load.py
