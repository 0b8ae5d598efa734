# Shared set-up for scripts/run and scripts/test: local services on loopback, data under .local/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
mkdir -p "$LOCAL"

log() { printf '[sre] %s\n' "$*" >&2; }

APT_UPDATED=""
# ensure_package <command or path> <debian package>
ensure_package() {
  if command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; then return 0; fi
  log "installing $2"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  if [ -z "$APT_UPDATED" ]; then $sudo apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}

pg_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  dirname "$(command -v initdb)"
}

ensure_postgres_binaries() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
    ensure_package /usr/lib/postgresql/15/bin/initdb postgresql
  fi
}

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# ensure_postgres <name> <port>: a cluster in .local/<name>/pg on 127.0.0.1:<port> with role and database "sre".
ensure_postgres() {
  local name="$1" port="$2" bin data sock
  ensure_postgres_binaries
  bin="$(pg_bindir)"
  data="$LOCAL/$name/pg"; sock="$LOCAL/$name/sock"
  mkdir -p "$LOCAL/$name" "$sock"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$LOCAL/$name" "$sock"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising PostgreSQL cluster '$name'"
    as_pg "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "starting PostgreSQL '$name' on 127.0.0.1:$port"
    as_pg "$bin/pg_ctl" -D "$data" -l "$LOCAL/$name/postgres.log" -w -t 30 \
      -o "-p $port -k $sock -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  fi
  local i
  for i in $(seq 1 60); do
    "$bin/pg_isready" -h 127.0.0.1 -p "$port" -q && break
    sleep 0.5
  done
  local psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$("${psql[@]}" -c "select 1 from pg_roles where rolname='sre'")" != 1 ]; then
    "${psql[@]}" -c "create role sre login password 'sre'" >/dev/null
  fi
  if [ "$("${psql[@]}" -c "select 1 from pg_database where datname='sre'")" != 1 ]; then
    "${psql[@]}" -c "create database sre owner sre" >/dev/null
  fi
}

# stop_postgres <name>
stop_postgres() {
  local bin; bin="$(pg_bindir)"
  as_pg "$bin/pg_ctl" -D "$LOCAL/$1/pg" -m fast -w stop >/dev/null
}

pg_connection() { echo "Host=127.0.0.1;Port=$1;Database=sre;Username=sre;Password=sre;Timeout=5;Command Timeout=30"; }

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 || { log "the .NET 10 SDK is required (https://dot.net)"; exit 1; }
}
