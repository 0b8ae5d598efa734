# Starts PostgreSQL and the service (Release build) for one benchmark run, on ports of their own.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
BENCH="$LOCAL/bench"; mkdir -p "$BENCH"
BENCH_PG_PORT=55435
BENCH_URL=http://127.0.0.1:5091
# The broker's port, to run beside another checkout's benchmarks.
BENCH_RABBITMQ_PORT="${BENCH_RABBITMQ_PORT:-55692}"
# The development admin key of appsettings.json; the benchmarks lift the per-key rate limit.
BENCH_KEY=dev-admin-key

BENCH_SCHEMA="bench_$(date +%s)"
# As a database server is set up (a quarter of the memory is the usual advice; these machines have 24 GB): with
# PostgreSQL's defaults (128 MB of buffers, a checkpoint every 1 GB of WAL), a rebuild of a million events checkpoints
# back to back and writes every page it touches into the WAL again after each checkpoint.
# Applies when the bench cluster starts; stop it (stop_postgres bench) for a change to take effect.
# BENCH_PG_OPTIONS: more settings for a look inside (-c shared_preload_libraries=pg_stat_statements, say).
export PG_OPTIONS="-c shared_buffers=2GB -c max_wal_size=8GB -c checkpoint_timeout=30min ${BENCH_PG_OPTIONS:-}"

# start_bench_service [extra environment assignments...]: the Release build on $BENCH_URL, schema $BENCH_SCHEMA.
start_bench_service() {
  build_bench_service
  launch_bench_service "$@"
}

# build_bench_service: the Release builds of the service and of the bench tool, in fresh folders.
build_bench_service() {
  ensure_dotnet
  ensure_postgres bench "$BENCH_PG_PORT"
  # Fresh folders: an assembly left by an earlier build would still be found and loaded by the command line.
  rm -rf "$BENCH/service" "$BENCH/tool"
  dotnet build "$ROOT/src/Host/Host.csproj" -c Release -nologo -v q -o "$BENCH/service" >"$BENCH/build.log" 2>&1 || { cat "$BENCH/build.log"; exit 1; }
  dotnet build "$ROOT/bench/Sre.Bench/Sre.Bench.csproj" -c Release -nologo -v q -o "$BENCH/tool" >"$BENCH/build-tool.log" 2>&1 || { cat "$BENCH/build-tool.log"; exit 1; }
}

# launch_bench_service [extra environment assignments...]: the service built by build_bench_service (or the one in
# $BENCH_SERVICE_DIR), on $BENCH_URL,
# schema $BENCH_SCHEMA; stopped (and the schema dropped) when the script exits.
launch_bench_service() {
  ensure_rabbitmq bench "$BENCH_RABBITMQ_PORT"
  ( cd "${BENCH_SERVICE_DIR:-$BENCH/service}" && exec env ConnectionStrings__Marten="$(pg_connection "$BENCH_PG_PORT")" Urls="$BENCH_URL" \
      Marten__Schema="$BENCH_SCHEMA" Bus__Port="$BENCH_RABBITMQ_PORT" Logging__LogLevel__Default=Warning Auth__RequestsPerMinute=1000000000 "$@" dotnet Sre.Host.dll >"$BENCH/service.log" 2>&1 ) &
  BENCH_PID=$!
  trap 'kill $BENCH_PID 2>/dev/null || true; wait $BENCH_PID 2>/dev/null || true; drop_bench_schema; bench_exit_hook' EXIT
  for _ in $(seq 1 120); do curl -s -o /dev/null "$BENCH_URL/health/live" && return 0; sleep 0.5; done
  tail -30 "$BENCH/service.log"; exit 1
}

# Each run writes a schema of its own (a rebuild run, 3 GB): dropped when the run ends, or the disk fills up run after run.
drop_bench_schema() {
  "$(pg_bindir)/psql" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d sre -qc "drop schema if exists $BENCH_SCHEMA cascade" >/dev/null 2>&1 || true
}

# bench_exit_hook: what else a benchmark stops as it exits (a script that starts more servers defines its own).
bench_exit_hook() { :; }

stop_bench_service() { kill "$BENCH_PID" 2>/dev/null || true; wait "$BENCH_PID" 2>/dev/null || true; }

# wrk_run <label> <path>: 64 connections for $BENCH_SECONDS, prints "<label> <req/s> <p99 ms>".
wrk_run() {
  ensure_package wrk wrk
  local out rps p99
  # Warm up first: the first request of an endpoint compiles its generated code.
  wrk -t1 -c4 -d2s -H "Authorization: Bearer $BENCH_KEY" "$BENCH_URL$2" >/dev/null
  out="$(wrk -t2 -c64 -d"${BENCH_SECONDS:-15}s" --latency -H "Authorization: Bearer $BENCH_KEY" "$BENCH_URL$2")"
  rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  p99="$(echo "$out" | awk '$1 == "99%" {print $2}')"
  printf '%-44s %12s req/s   p99 %s\n' "$1" "$rps" "$p99"
}
