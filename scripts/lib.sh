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

# Which checkout a data folder belongs to, for the folders kept out of it (under /var/lib/sre).
printf '%s\n' "$ROOT" >"$LOCAL/checkout"

log() { printf '[sre] %s\n' "$*" >&2; }

# --- Ports held by other checkouts ---------------------------------------------------------------------------------

port_in_use() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }

# port_pid <port>: the process listening on 127.0.0.1 (or every interface) on that port, if this user may see it.
port_pid() { ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true; }

# process_folder <pid>: the data folder of a server these scripts start (PostgreSQL's -D, RabbitMQ's -home), or
# else the folder the process works in.
process_folder() {
  local folder
  folder="$({ tr '\0' '\n' <"/proc/$1/cmdline"; } 2>/dev/null | awk 'previous == "-D" || previous == "-home" { print; exit } { previous = $0 }')"
  [ -n "$folder" ] || folder="$(readlink "/proc/$1/cwd" 2>/dev/null || true)"
  printf '%s\n' "$folder"
}

# checkout_of <folder>: the checkout whose scripts keep that folder, when it is one.
checkout_of() {
  local folder="$1"
  case "$folder" in */.local/*) printf '%s\n' "${folder%%/.local/*}"; return ;; esac
  while [ -n "$folder" ] && [ "$folder" != / ]; do
    if [ -f "$folder/checkout" ]; then cat "$folder/checkout"; return; fi
    folder="$(dirname "$folder")"
  done
}

# port_taken <port>: held by a process that is not one of this checkout's servers.
port_taken() {
  local pid
  port_in_use "$1" || return 1
  pid="$(port_pid "$1")"
  case "${pid:+$(process_folder "$pid")}" in "$LOCAL"/*) return 1 ;; esac
}

# PORT_VARS (set by scripts/test and scripts/run): the variables that choose this script's ports, as VAR=port.
PORT_VARS=()
# PORT_HINT: what to suggest instead, when the port is not one of PORT_VARS.
PORT_HINT=""

# free_ports_hint: PORT_VARS shifted by the smallest step of 100 after which no other checkout or program holds any
# of them (nor the Erlang distribution port, 1000 above a RabbitMQ port).
free_ports_hint() {
  local offset assignment var port hint
  [ ${#PORT_VARS[@]} -gt 0 ] || return 0
  for offset in $(seq 100 100 4000); do
    hint=""
    for assignment in "${PORT_VARS[@]}"; do
      var="${assignment%%=*}"; port="$((${assignment#*=} + offset))"
      if port_taken "$port" || { [[ $var == *RABBITMQ* ]] && port_taken "$((port + 1000))"; }; then hint=""; break; fi
      hint+="$var=$port "
    done
    if [ -n "$hint" ]; then printf '%s\n' "$hint"; return; fi
  done
}

# claim_port <port> <own data folder> <what>: nothing to do when the port is free or this checkout's server holds it;
# otherwise says who holds it (the program, its folder and checkout) and how to run beside it, and stops.
claim_port() {
  local port="$1" own="$2" what="$3" pid folder checkout holder hint
  port_in_use "$port" || return 0
  pid="$(port_pid "$port")"
  folder="${pid:+$(process_folder "$pid")}"
  case "$folder" in "$own" | "$own"/*) return 0 ;; esac
  checkout="$(checkout_of "$folder")"
  holder="$(cat "/proc/$pid/comm" 2>/dev/null || echo "a process") (pid ${pid:-unknown})"
  if [ -n "$checkout" ]; then
    log "cannot start $what: 127.0.0.1:$port is held by $holder of another checkout, $checkout (folder $folder)."
  else
    log "cannot start $what: port $port is held by $holder${folder:+ (working in $folder)}."
  fi
  hint="${PORT_HINT:-$(free_ports_hint)}"
  [ -z "$hint" ] || log "to run beside it, give this checkout ports of its own: $hint$0"
  [ -z "$checkout" ] || log "or stop that checkout's servers: (cd $checkout && scripts/stop)"
  exit 1
}

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
    claim_port "$port" "$data" "PostgreSQL '$name'"
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

# A node's name holds its port: two checkouts' nodes run side by side only under names of their own.
rmq_node() { echo "sre-$1-$2@localhost"; }

# rmq_env <name> <port>: RMQ_ENV, the environment of a node and of the tools that talk to it. Everything it listens
# on is on loopback: AMQP (RABBITMQ_NODE_IP_ADDRESS), epmd (ERL_EPMD_ADDRESS) and the Erlang distribution port,
# 1000 above the AMQP port (inet_dist_use_interface; it listens on every interface otherwise).
rmq_env() {
  local name="$1" port="$2" dir="$LOCAL/$1/rabbitmq"
  RMQ_ENV=(RABBITMQ_NODENAME="$(rmq_node "$name" "$port")" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port"
    RABBITMQ_DIST_PORT="$((port + 1000))" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log"
    RABBITMQ_PID_FILE="$dir/pid" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$dir/rabbitmq"
    HOME="$dir" ERL_EPMD_ADDRESS=127.0.0.1
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}")
}

# RabbitMQ refuses nothing as root, but its files belong to the rabbitmq user: run its tools as that user.
as_rmq() {
  if [ "$(id -u)" = 0 ]; then runuser -u rabbitmq -- env "$@"; else env "$@"; fi
}

rmq_ctl() {
  local name="$1" port="$2"; shift 2
  rmq_env "$name" "$port"
  as_rmq "${RMQ_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmqctl -n "$(rmq_node "$name" "$port")" "$@"
}

# stop_process <pid> <what>: SIGTERM (RabbitMQ and the service shut down cleanly on it), then waits for the end.
stop_process() {
  local i
  kill "$1" 2>/dev/null || return 0
  for i in $(seq 1 120); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done
  log "$2 (pid $1) did not stop within 60 s"; return 1
}

# ensure_rabbitmq <name> <port>: a RabbitMQ node of its own on 127.0.0.1:<port>, data in .local/<name>/rabbitmq.
ensure_rabbitmq() {
  local name="$1" port="$2" dir="$LOCAL/$1/rabbitmq" pid
  ensure_package /usr/lib/rabbitmq/bin/rabbitmq-server rabbitmq-server
  # Debian starts a default node when it installs the package where it can; this project runs its own nodes.
  mkdir -p "$dir"
  [ -f "$dir/enabled_plugins" ] || echo "[]." >"$dir/enabled_plugins"
  printf 'listeners.tcp.1 = 127.0.0.1:%s\nloopback_users = none\n' "$port" >"$dir/rabbitmq.conf"
  if [ "$(id -u)" = 0 ]; then chown -R rabbitmq:rabbitmq "$dir"; fi
  claim_port "$port" "$dir" "RabbitMQ '$name'"
  claim_port "$((port + 1000))" "$dir" "RabbitMQ '$name' (its Erlang distribution port)"
  if ! rmq_ctl "$name" "$port" ping >/dev/null 2>&1; then
    pid="$(port_pid "$((port + 1000))")"
    if [ -n "$pid" ]; then
      # This checkout's node, started under the name older scripts gave it: restarted under its name.
      log "restarting RabbitMQ '$name': the node on its ports does not answer as $(rmq_node "$name" "$port")"
      stop_process "$pid" "RabbitMQ '$name'"
    fi
    log "starting RabbitMQ '$name' on 127.0.0.1:$port"
    rmq_env "$name" "$port"
    as_rmq "${RMQ_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server -detached >/dev/null 2>&1
  elif ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    rmq_ctl "$name" "$port" start_app >/dev/null
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
