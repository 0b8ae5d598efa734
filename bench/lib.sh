# Starts PostgreSQL and the service (Release build) for one benchmark run, on ports of their own.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
BENCH="$LOCAL/bench"; mkdir -p "$BENCH"
BENCH_PG_PORT=55435
BENCH_URL=http://127.0.0.1:5091

start_bench_service() {
  ensure_dotnet
  ensure_postgres bench "$BENCH_PG_PORT"
  dotnet build "$ROOT/src/Host/Host.csproj" -c Release -nologo -v q -o "$BENCH/service" >"$BENCH/build.log" 2>&1 || { cat "$BENCH/build.log"; exit 1; }
  dotnet build "$ROOT/bench/Sre.Bench/Sre.Bench.csproj" -c Release -nologo -v q -o "$BENCH/tool" >"$BENCH/build-tool.log" 2>&1 || { cat "$BENCH/build-tool.log"; exit 1; }
  ( cd "$BENCH/service" && ConnectionStrings__Marten="$(pg_connection "$BENCH_PG_PORT")" Urls="$BENCH_URL" \
      Marten__Schema="bench_$(date +%s)" Logging__LogLevel__Default=Warning exec dotnet Sre.Host.dll >"$BENCH/service.log" 2>&1 ) &
  BENCH_PID=$!
  trap 'kill $BENCH_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do curl -s -o /dev/null "$BENCH_URL/api/v1/slos" && return 0; sleep 0.5; done
  tail -30 "$BENCH/service.log"; exit 1
}
