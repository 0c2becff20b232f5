#!/usr/bin/env bash
# `make cluster` / `make cluster-stop`: the addon served the way companies outgrow one
# machine, all on this machine and on 127.0.0.1 only:
#
#   PostgreSQL primary      port CLUSTER_PG_PORT (5440)      reads and writes
#   PostgreSQL hot standby  port CLUSTER_PG_PORT + 1 (5441)  streaming replication,
#                                                            Odoo's read replica
#   Odoo server A           port CLUSTER_HTTP_PORT (8269)    prefork, cron worker
#   Odoo server B           port CLUSTER_HTTP_PORT + 1       prefork, cron worker
#
# Both Odoo servers share one database and one data directory (.odoo/cluster/data);
# requests Odoo marks read-only go to the standby (db_replica_host / db_replica_port).
# Usage: bash tools/cluster.sh start|status|stop [--drop]
set -euo pipefail
ODOO_CONF="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.odoo/cluster-setup-${CLUSTER_HTTP_PORT:-8269}.conf"
# shellcheck source=tools/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

PG_VERSION="${CLUSTER_PG_VERSION:-15}"
PG_PORT="${CLUSTER_PG_PORT:-5440}"
REPLICA_PORT="$((PG_PORT + 1))"
HTTP_PORT="${CLUSTER_HTTP_PORT:-8269}"
WORKERS="${CLUSTER_WORKERS:-2}"
DB="${CLUSTER_DB:-crm_order_cluster}"
PRIMARY="crm_primary_$PG_PORT"
REPLICA="crm_replica_$REPLICA_PORT"
CLUSTER_DIR="$PROJECT_DIR/.odoo/cluster-$HTTP_PORT"
# the addon and its glue addons (CLUSTER_ADDONS to choose)
ADDONS="${CLUSTER_ADDONS:-crm_order_management$(for m in "$PROJECT_DIR"/crm_order_management_*/__manifest__.py; do
    [ -f "$m" ] && printf ',%s' "$(basename "$(dirname "$m")")"; done)}"

psql_at() { # port, SQL
    psql -X -qtA -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2"
}

cluster_exists() { pg_lsclusters -h | awk '{print $2}' | grep -qx "$1"; }

start_postgres() {
    if ! cluster_exists "$PRIMARY"; then
        say "creating the PostgreSQL primary $PRIMARY on port $PG_PORT"
        pg_createcluster "$PG_VERSION" "$PRIMARY" -p "$PG_PORT" -- --auth=trust >/dev/null
        cat >"/etc/postgresql/$PG_VERSION/$PRIMARY/conf.d/cluster.conf" <<EOF
listen_addresses = '127.0.0.1'
wal_level = replica
max_wal_senders = 5
hot_standby = on
# sizing for this demonstration; production: shared_buffers 25 % of the memory,
# effective_cache_size 50-75 %, max_connections >= (workers + cron) x servers x 2
shared_buffers = 256MB
max_connections = 200
EOF
    fi
    pg_ctlcluster "$PG_VERSION" "$PRIMARY" start 2>/dev/null || true
    psql_at "$PG_PORT" "SELECT 1" >/dev/null
    if [ "$(psql_at "$PG_PORT" "SELECT count(*) FROM pg_roles WHERE rolname = '$ODOO_DB_USER'")" = 0 ]; then
        psql_at "$PG_PORT" "CREATE ROLE \"$ODOO_DB_USER\" LOGIN CREATEDB" >/dev/null
    fi
    if ! cluster_exists "$REPLICA"; then
        say "creating the hot standby $REPLICA on port $REPLICA_PORT (pg_basebackup)"
        pg_createcluster "$PG_VERSION" "$REPLICA" -p "$REPLICA_PORT" -- --auth=trust >/dev/null
        data="/var/lib/postgresql/$PG_VERSION/$REPLICA"
        find "$data" -mindepth 1 -delete
        runuser -u postgres -- pg_basebackup -h 127.0.0.1 -p "$PG_PORT" -U postgres \
            -D "$data" -R -X stream -c fast
        cat >"/etc/postgresql/$PG_VERSION/$REPLICA/conf.d/cluster.conf" <<EOF
listen_addresses = '127.0.0.1'
hot_standby = on
max_connections = 200
EOF
    fi
    pg_ctlcluster "$PG_VERSION" "$REPLICA" start 2>/dev/null || true
    psql_at "$REPLICA_PORT" "SELECT 1" >/dev/null
    [ "$(psql_at "$REPLICA_PORT" "SELECT pg_is_in_recovery()")" = t ] \
        || die "the replica on port $REPLICA_PORT is not a standby"
}

write_conf() { # name, http port
    mkdir -p "$CLUSTER_DIR/data" "$LOG_DIR"
    cat >"$CLUSTER_DIR/$1.conf" <<EOF
; Written by tools/cluster.sh: edit that script, not this file.
[options]
addons_path = $ODOO_SRC/addons,$PROJECT_DIR
data_dir = $CLUSTER_DIR/data
db_host = 127.0.0.1
db_port = $PG_PORT
db_user = $ODOO_DB_USER
db_password = False
db_replica_host = 127.0.0.1
db_replica_port = $REPLICA_PORT
db_name = $DB
dbfilter = ^$DB\$
list_db = False
admin_passwd = admin
http_interface = 127.0.0.1
http_port = $2
gevent_port = $(($2 + 100))
workers = $WORKERS
max_cron_threads = 1
limit_memory_soft = 2147483648
limit_memory_hard = 2684354560
limit_time_cpu = 60
limit_time_real = 120
logfile = $LOG_DIR/cluster-$HTTP_PORT-$1.log
pidfile = $CLUSTER_DIR/$1.pid
EOF
}

start_odoo() { # name, http port
    local pidfile="$CLUSTER_DIR/$1.pid"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        say "Odoo $1 already runs on port $2"
        return
    fi
    "$PYTHON" "$ODOO_SRC/odoo-bin" -c "$CLUSTER_DIR/$1.conf" >/dev/null 2>&1 &
    local deadline=$((SECONDS + 120))
    until curl -fsS -o /dev/null "http://127.0.0.1:$2/web/health" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || die "Odoo $1 did not start; see $LOG_DIR/cluster-$HTTP_PORT-$1.log"
        sleep 1
    done
    say "Odoo $1: http://127.0.0.1:$2 (admin / admin)"
}

start() {
    setup_all
    start_postgres
    write_conf a "$HTTP_PORT"
    write_conf b "$((HTTP_PORT + 1))"
    installed="$(psql -X -qtA -h 127.0.0.1 -p "$PG_PORT" -U "$ODOO_DB_USER" -d "$DB" \
        -c "SELECT state FROM ir_module_module WHERE name = 'crm_order_management'" 2>/dev/null || true)"
    if [ "$installed" != installed ]; then
        say "installing $ADDONS with demo data in '$DB' on the primary"
        "$PYTHON" "$ODOO_SRC/odoo-bin" -c "$CLUSTER_DIR/a.conf" -i "$ADDONS" \
            --stop-after-init --workers=0 --max-cron-threads=0 \
            --logfile="$LOG_DIR/cluster-$HTTP_PORT-install.log"
    fi
    start_odoo a "$HTTP_PORT"
    start_odoo b "$((HTTP_PORT + 1))"
    status
}

status() {
    for name in a b; do
        pidfile="$CLUSTER_DIR/$name.pid"
        if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            echo "odoo $name: running (pid $(cat "$pidfile"))"
        else
            echo "odoo $name: stopped"
        fi
    done
    pg_lsclusters | grep -E "crm_(primary|replica)_" || echo "postgresql: no cluster"
    if cluster_exists "$REPLICA"; then
        echo "replication: $(psql_at "$PG_PORT" "SELECT string_agg(application_name || ' ' || state, ', ') FROM pg_stat_replication" 2>/dev/null || echo '?')"
        echo "odoo connections on the replica: $(psql_at "$REPLICA_PORT" "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB'" 2>/dev/null || echo '?')"
    fi
}

stop() {
    for name in a b; do
        pidfile="$CLUSTER_DIR/$name.pid"
        if [ -f "$pidfile" ]; then
            pid="$(cat "$pidfile")"
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
            kill -9 "$pid" 2>/dev/null || true
            rm -f "$pidfile"
        fi
    done
    for cluster in "$REPLICA" "$PRIMARY"; do
        if cluster_exists "$cluster"; then
            pg_ctlcluster "$PG_VERSION" "$cluster" stop 2>/dev/null || true
            if [ "${1:-}" = --drop ]; then
                pg_dropcluster "$PG_VERSION" "$cluster"
            fi
        fi
    done
    if [ "${1:-}" = --drop ]; then rm -rf "$CLUSTER_DIR" "$ODOO_CONF"; fi
    say "cluster stopped${1:+ and dropped}"
}

case "${1:-start}" in
start) start ;;
status) status ;;
stop) stop "${2:-}" ;;
*) die "usage: $0 start|status|stop [--drop]" ;;
esac
