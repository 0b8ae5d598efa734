# Shared set-up for scripts/run and scripts/test: local services on loopback, data under .local/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
mkdir -p "$LOCAL"
# PostgreSQL and RabbitMQ run as their own users. A checkout they cannot reach (under /root, say) keeps their
# data in a folder of its own under /var/lib/sre instead, one per checkout.
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$LOCAL" 2>/dev/null; then
  LOCAL="/var/lib/sre/$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
  mkdir -p "$LOCAL" && chmod 755 /var/lib/sre "$LOCAL"
fi

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
      -o "-p $port -k $sock -c listen_addresses=127.0.0.1 -c max_connections=200 ${PG_OPTIONS:-}" start >/dev/null
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

# RabbitMQ refuses nothing as root, but its files belong to the rabbitmq user: run its tools as that user.
rmq_env() {
  local name="$1" port="$2" dir="$LOCAL/$1/rabbitmq"
  echo RABBITMQ_NODENAME="sre-$name@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
    RABBITMQ_DIST_PORT="$((port + 1000))" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/pid" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
    HOME="$dir" ERL_EPMD_ADDRESS=127.0.0.1
}

as_rmq() {
  if [ "$(id -u)" = 0 ]; then runuser -u rabbitmq -- env "$@"; else env "$@"; fi
}

rmq_ctl() {
  local name="$1" port="$2"; shift 2
  # shellcheck disable=SC2046
  as_rmq $(rmq_env "$name" "$port") /usr/lib/rabbitmq/bin/rabbitmqctl -n "sre-$name@localhost" "$@"
}

# ensure_rabbitmq <name> <port>: a RabbitMQ node of its own on 127.0.0.1:<port>, data in .local/<name>/rabbitmq.
ensure_rabbitmq() {
  local name="$1" port="$2" dir="$LOCAL/$1/rabbitmq"
  ensure_package /usr/lib/rabbitmq/bin/rabbitmq-server rabbitmq-server
  # Debian starts a default node when it installs the package where it can; this project runs its own nodes.
  mkdir -p "$dir"
  [ -f "$dir/enabled_plugins" ] || echo "[]." >"$dir/enabled_plugins"
  printf 'listeners.tcp.1 = 127.0.0.1:%s\nloopback_users = none\n' "$port" >"$dir/rabbitmq.conf"
  if [ "$(id -u)" = 0 ]; then chown -R rabbitmq:rabbitmq "$dir"; fi
  if ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    if ! rmq_ctl "$name" "$port" ping >/dev/null 2>&1; then
      log "starting RabbitMQ '$name' on 127.0.0.1:$port"
      # shellcheck disable=SC2046
      as_rmq $(rmq_env "$name" "$port") /usr/lib/rabbitmq/bin/rabbitmq-server -detached >/dev/null 2>&1
    else
      rmq_ctl "$name" "$port" start_app >/dev/null
    fi
  fi
  local i
  for i in $(seq 1 120); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.5
  done
  log "RabbitMQ '$name' did not open 127.0.0.1:$port; see $dir/log"; exit 1
}

# Takes the broker away from clients (the node keeps running, so it comes back fast).
stop_rabbitmq_app() { rmq_ctl "$1" "$2" stop_app >/dev/null; }
