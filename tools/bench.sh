#!/usr/bin/env bash
# Runs a benchmark script of bench/ with the project's environment: tools/bench.sh SCRIPT [ARGS]
set -euo pipefail
# shellcheck source=tools/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_all
export ODOO_SRC ODOO_CONF
PYTHONPATH="$ODOO_SRC" exec "$PYTHON" "$@"
