#!/usr/bin/env bash
# `make test`: sets up what is missing, then runs lint, the addon's tests with Odoo's
# runner on a fresh database, and the top-level tests/ with pytest-odoo (tools/run_tests.py).
set -euo pipefail
# shellcheck source=tools/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_all
export ODOO_SRC ODOO_CONF LOG_DIR ODOO_VENV PROJECT_DIR
exec "$PYTHON" "$PROJECT_DIR/tools/run_tests.py" "$@"
