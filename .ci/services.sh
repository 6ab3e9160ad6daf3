#!/usr/bin/env bash
# Test services for codedrill on Debian/Ubuntu as root, without systemd:
#   bash .ci/services.sh up     install what is missing (chromium, postgresql, bubblewrap), start a private
#                               PostgreSQL on 127.0.0.1:$PG_PORT; prints `export DATABASE_URL=...`
#   bash .ci/services.sh down   stop that PostgreSQL (its data folder is throwaway)
# The cluster is our own (initdb into $PG_DATA), never Debian's main cluster, and runs with
# fsync off: test data only.
set -euo pipefail

PG_PORT=${PG_PORT:-25432}
PG_DATA=${PG_DATA:-/tmp/codedrill-pg-$PG_PORT}
PG_DB=codedrill PG_USER=codedrill PG_PASSWORD=codedrill

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }
as_pg() { (cd / && runuser -u postgres -- "$@"); }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  for try in 1 2 3; do
    if apt-get -o DPkg::Lock::Timeout=300 update -qq >/tmp/codedrill-apt.log 2>&1 &&
       apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >>/tmp/codedrill-apt.log 2>&1; then
      return 0
    fi
    log "apt-get failed (try $try/3), see /tmp/codedrill-apt.log"; sleep 10
  done
  die "apt-get install $* failed"
}

up() {
  [ "$(id -u)" = 0 ] || die "run as root (needs apt-get and runuser)"
  local need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || need+=(postgresql)
  command -v make >/dev/null || need+=(make)
  python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
  # The sandbox (codedrill/sandbox): bubblewrap, and unshare, setpriv and mount (util-linux).
  command -v bwrap >/dev/null || need+=(bubblewrap)
  command -v setpriv >/dev/null || need+=(util-linux)
  if [ ${#need[@]} -gt 0 ]; then log "installing: ${need[*]}"; apt_install "${need[@]}"; fi
  local bin; bin=$(pg_bin)
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    rm -rf "$PG_DATA"
    install -d -m 700 -o postgres -g postgres "$PG_DATA"
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { tail -n 20 "$PG_DATA/server.log" >&2; die "postgres did not start"; }
  fi
  # The role needs CREATEDB: the test runner creates and drops test_<name>.
  as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DATA" -p "$PG_PORT" -U postgres -d postgres >/dev/null <<SQL
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', '$PG_USER', '$PG_PASSWORD')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$PG_DB', '$PG_USER')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$PG_DB') \gexec
SQL
  log "postgres ready on 127.0.0.1:$PG_PORT ($("$bin/postgres" --version))"
  echo "export DATABASE_URL=postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
}

down() {
  local bin; bin=$(pg_bin)
  if [ -n "$bin" ] && as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null && log "postgres stopped"
  fi
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  *) die "usage: $0 up|down" ;;
esac
