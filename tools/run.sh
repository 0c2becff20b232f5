#!/usr/bin/env bash
# `make run`: Odoo 18 with crm_order_management and its demo data on
# http://localhost:$ODOO_HTTP_PORT (admin / admin), in the foreground until Ctrl-C.
# A new database is created with the module installed; an existing one is upgraded.
set -euo pipefail
# One configuration file and one log per database and port: two `make run` of one
# checkout (other ODOO_DB / ODOO_HTTP_PORT) run side by side.
RUN_NAME="run-${ODOO_DB:-crm_order_demo}-${ODOO_HTTP_PORT:-8069}"
ODOO_CONF="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.odoo/$RUN_NAME.conf"
# shellcheck source=tools/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_all

# The addon and its glue addons (crm_order_management_account, ...), which bring in
# the apps they join (Invoicing, Inventory): installed when missing, else upgraded.
install=() upgrade=()
for manifest in "$PROJECT_DIR"/crm_order_management/__manifest__.py "$PROJECT_DIR"/crm_order_management_*/__manifest__.py; do
    [ -f "$manifest" ] || continue
    module="$(basename "$(dirname "$manifest")")"
    state="$(PGPASSWORD="$ODOO_DB_PASSWORD" psql -X -qtA -h "$ODOO_DB_HOST" -p "$ODOO_DB_PORT" -U "$ODOO_DB_USER" -d "$ODOO_DB" \
        -c "SELECT state FROM ir_module_module WHERE name = '$module'" 2>/dev/null || true)"
    if [ "$state" = installed ]; then upgrade+=("$module"); else install+=("$module"); fi
done
module_args=()
if [ ${#upgrade[@]} -gt 0 ]; then
    say "upgrading ${upgrade[*]} in the database '$ODOO_DB'"
    module_args+=(-u "$(IFS=,; echo "${upgrade[*]}")")
fi
if [ ${#install[@]} -gt 0 ]; then
    say "installing ${install[*]} with demo data in the database '$ODOO_DB'"
    module_args+=(-i "$(IFS=,; echo "${install[*]}")")
fi
# ODOO_WORKERS=N: prefork mode as in production (N HTTP workers, cron threads, the
# websocket process on ODOO_HTTP_PORT + 3), with Odoo's default limits made explicit.
server_args=()
if [ "${ODOO_WORKERS:-0}" -gt 0 ]; then
    gevent_port="${ODOO_GEVENT_PORT:-$(( ${ODOO_HTTP_PORT:-8069} + 3 ))}"
    server_args=(--workers="$ODOO_WORKERS" --max-cron-threads="${ODOO_CRON_THREADS:-1}"
        --gevent-port="$gevent_port"
        --limit-memory-soft=2147483648 --limit-memory-hard=2684354560
        --limit-time-cpu=60 --limit-time-real=120 --limit-request=65536)
    say "prefork: $ODOO_WORKERS workers, ${ODOO_CRON_THREADS:-1} cron thread(s), websocket on port $gevent_port"
fi
say "configuration: $ODOO_CONF; log: $LOG_DIR/$RUN_NAME.log; open http://localhost:$ODOO_HTTP_PORT (admin / admin) once it says 'HTTP service'"
"$PYTHON" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$ODOO_DB" --db-filter="^${ODOO_DB}\$" \
    "${module_args[@]}" "${server_args[@]}" 2>&1 | tee -a "$LOG_DIR/$RUN_NAME.log"
