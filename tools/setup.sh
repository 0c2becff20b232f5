#!/usr/bin/env bash
# Prepares everything `make run` and `make test` need, reusing what exists:
#   1. the Odoo 18.0 source (ODOO_SRC, default /opt/odoo-18.0),
#   2. the system packages needed to build Odoo's requirements and to run browser tests,
#   3. a virtual environment with Odoo's requirements and the test tools,
#   4. a running PostgreSQL server and a dedicated database role for Odoo,
#   5. an Odoo configuration file in .odoo/odoo.conf (logs in .odoo/logs/).
# Meant to be sourced by the other scripts of tools/ (it defines variables) or run alone.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-18.0}"
ODOO_DB="${ODOO_DB:-crm_order_demo}"
ODOO_HTTP_PORT="${ODOO_HTTP_PORT:-8069}"
# One environment per Python version: a shell with pyenv and CI's plain PATH may find
# different interpreters, and each keeps its own instead of rebuilding the other's.
PYTHON_VERSION="$(python3 -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
ODOO_VENV="${ODOO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/crm_order_management/venv-$PYTHON_VERSION}"
ODOO_DB_USER="${PGUSER:-odoo}"
ODOO_DB_PASSWORD="${PGPASSWORD:-}"
ODOO_DB_HOST="${PGHOST:-127.0.0.1}"
ODOO_DB_PORT="${PGPORT:-5432}"
STATE_DIR="$PROJECT_DIR/.odoo"
# make run sets its own file per database and port (tools/run.sh), so that two
# servers of one checkout never read each other's settings.
ODOO_CONF="${ODOO_CONF:-$STATE_DIR/odoo.conf}"
LOG_DIR="$STATE_DIR/logs"
PYTHON="$ODOO_VENV/bin/python"

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# --- 1. Odoo source ---------------------------------------------------------------------
check_odoo_src() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        die "Odoo 18.0 source not found in '$ODOO_SRC' (no odoo-bin there).
        Put the Odoo 18.0 Community source there, or point ODOO_SRC at it, for example:
          git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git $ODOO_SRC
        or unpack the 18.0 nightly source archive (odoo_18.0.latest.tar.gz from
        the Odoo nightly server) into that folder. See README.md, 'The Odoo source'."
    fi
    if ! grep -q "^version_info = (18, 0," "$ODOO_SRC/odoo/release.py"; then
        die "'$ODOO_SRC' holds an Odoo source that is not 18.0 ($(grep '^version_info' "$ODOO_SRC/odoo/release.py"))."
    fi
}

# --- 2. System packages ------------------------------------------------------------------
APT_PACKAGES=(libldap2-dev libsasl2-dev libpq-dev chromium)
check_system_packages() {
    local missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        die "missing system packages: ${missing[*]}. Install them (as root: apt-get install ${missing[*]})."
    fi
}

# --- 3. Virtual environment --------------------------------------------------------------
requirements_file() {
    # Odoo's pins, corrected for Python 3.11: cbor2 5.4.2 does not build there.
    sed -e 's/^cbor2==5\.4\.2/cbor2==5.4.6/' "$ODOO_SRC/requirements.txt"
    # gevent 22.10 (Odoo's pin for Python 3.11) loads its plugins with pkg_resources,
    # which looks for the distributions 'zope.interface' and 'zope.event': their
    # newest wheels are named zope_interface / zope_event, which it does not find,
    # and the websocket (gevent) process of a --workers server dies at start. These
    # are the last releases whose wheels carry the dotted names.
    printf '%s\n' 'zope.interface==7.2' 'zope.event==5.0'
}
check_venv() {
    local stamp want
    want="$( { requirements_file; cat "$PROJECT_DIR/requirements-dev.txt"; python3 --version; } | sha256sum | cut -d' ' -f1)"
    stamp="$ODOO_VENV/.requirements.sha256"
    if [ -x "$PYTHON" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    say "building the virtual environment in $ODOO_VENV (a few minutes, once)"
    rm -rf "$ODOO_VENV"
    python3 -m venv "$ODOO_VENV"
    "$PYTHON" -m pip install -q --upgrade pip 'setuptools<70' wheel
    local req="$ODOO_VENV/odoo-requirements.txt"
    requirements_file > "$req"
    # Old sdists (python-ldap, psycopg2, ...) need setuptools<70 in the build environment.
    "$PYTHON" -m pip install -q --no-build-isolation -r "$req" -r "$PROJECT_DIR/requirements-dev.txt"
    echo "$want" > "$stamp"
}

# --- 4. PostgreSQL ------------------------------------------------------------------------
pg_superuser_psql() {
    # Runs psql as a PostgreSQL superuser of the local server.
    if psql -X -q -h "$ODOO_DB_HOST" -p "$ODOO_DB_PORT" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1; then
        psql -X -q -v ON_ERROR_STOP=1 -h "$ODOO_DB_HOST" -p "$ODOO_DB_PORT" -U postgres -d postgres "$@"
    elif [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
        su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $ODOO_DB_PORT -d postgres $(printf '%q ' "$@")"
    else
        return 1
    fi
}
check_postgres() {
    command -v psql >/dev/null || die "psql not found: install PostgreSQL (apt-get install postgresql)."
    if ! pg_isready -q -h "$ODOO_DB_HOST" -p "$ODOO_DB_PORT"; then
        if [ -n "${PGHOST:-}" ]; then
            die "PostgreSQL at $PGHOST:$ODOO_DB_PORT (from PGHOST/PGPORT) does not answer."
        fi
        if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
            local version
            version="$(ls /etc/postgresql | sort -V | tail -n 1)"
            say "starting the local PostgreSQL $version cluster"
            pg_ctlcluster --skip-systemctl-redirect "$version" main start
            for _ in $(seq 30); do pg_isready -q -h "$ODOO_DB_HOST" -p "$ODOO_DB_PORT" && break; sleep 1; done
        fi
        pg_isready -q -h "$ODOO_DB_HOST" -p "$ODOO_DB_PORT" || die "PostgreSQL does not answer on \
$ODOO_DB_HOST:$ODOO_DB_PORT. Start it (Debian: pg_ctlcluster 15 main start) or set PGHOST/PGPORT/PGUSER/PGPASSWORD."
    fi
    # A dedicated role: Odoo refuses to run as 'postgres'.
    [ "$ODOO_DB_USER" = postgres ] && die "Odoo refuses the 'postgres' role: set PGUSER to another role."
    if ! PGPASSWORD="$ODOO_DB_PASSWORD" psql -X -q -h "$ODOO_DB_HOST" -p "$ODOO_DB_PORT" -U "$ODOO_DB_USER" -d postgres -c 'select 1' >/dev/null 2>&1; then
        [ -n "${PGUSER:-}" ] && die "cannot connect to PostgreSQL as '$PGUSER' (from PGUSER/PGPASSWORD)."
        say "creating the PostgreSQL role '$ODOO_DB_USER'"
        pg_superuser_psql -c "CREATE ROLE $ODOO_DB_USER LOGIN CREATEDB" \
            || die "cannot create the PostgreSQL role '$ODOO_DB_USER': create it yourself (CREATE ROLE $ODOO_DB_USER LOGIN CREATEDB) or set PGUSER."
    fi
}

# --- 5. Odoo configuration ----------------------------------------------------------------
write_config() {
    mkdir -p "$STATE_DIR" "$LOG_DIR"
    cat > "$ODOO_CONF" <<EOF
; Written by tools/setup.sh on each run: edit that script, not this file.
[options]
addons_path = $ODOO_SRC/addons,$PROJECT_DIR
data_dir = $STATE_DIR/data
db_host = $ODOO_DB_HOST
db_port = $ODOO_DB_PORT
db_user = $ODOO_DB_USER
db_password = ${ODOO_DB_PASSWORD:-False}
admin_passwd = admin
http_interface = 127.0.0.1
http_port = $ODOO_HTTP_PORT
without_demo = False
list_db = True
EOF
}

odoo_bin() {
    # Runs Odoo from the source tree with the project's environment.
    "$PYTHON" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"
}

setup_all() {
    check_odoo_src
    check_system_packages
    check_venv
    check_postgres
    write_config
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    setup_all
    say "ready: Odoo in $ODOO_SRC, Python in $ODOO_VENV, configuration in $ODOO_CONF"
fi
