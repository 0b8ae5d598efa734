using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Npgsql;
using Sre.Domain.Slos.Pull;

namespace Sre.Bench;

/// <summary>
/// bench/pull: SLIs pulled from a real Prometheus, against the raw <c>query_range</c> rate of the same Prometheus.
///   history &lt;file&gt; &lt;services&gt; &lt;days&gt; &lt;sample seconds&gt; &lt;hours ahead&gt;: Istio-shaped counters as OpenMetrics
///   fill &lt;service url&gt; &lt;connection&gt; &lt;schema&gt; &lt;prometheus url&gt; &lt;slos&gt; &lt;days&gt; &lt;services&gt;: raw loop, then the history fill
///   steady &lt;service url&gt; &lt;connection&gt; &lt;schema&gt; &lt;service pid&gt; &lt;slos&gt; &lt;minutes&gt; &lt;services&gt; &lt;history minutes&gt;
/// </summary>
public static class Pull
{
    private static readonly TimeSpan Slice = TimeSpan.FromMinutes(1);

    // The service's defaults: 1-minute slices, a scrape interval of 1 minute and a lag of two.
    private static readonly TimeSpan Lag = TimeSpan.FromMinutes(2);

    public static async Task<int> Run(string[] args) => args switch
    {
        ["pull-history", var file, var services, var days, var sample, var ahead] =>
            History(file, int.Parse(services), int.Parse(days), int.Parse(sample), int.Parse(ahead)),
        ["pull-fill", var url, var connection, var schema, var prometheus, var slos, var days, var services] =>
            await Fill(Client(url), connection, schema, prometheus, int.Parse(slos), int.Parse(days), int.Parse(services)),
        ["pull-steady", var url, var connection, var schema, var pid, var slos, var minutes, var services, var history] =>
            await Steady(Client(url), connection, schema, int.Parse(pid), int.Parse(slos), double.Parse(minutes, CultureInfo.InvariantCulture),
                int.Parse(services), int.Parse(history)),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: Sre.Bench pull-history|pull-fill|pull-steady ... (bench/Sre.Bench/Pull.cs)");
        return 2;
    }

    private static HttpClient Client(string url)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Environment.GetEnvironmentVariable("BENCH_KEY") ?? "dev-admin-key");
        return http;
    }

    private static string Service(int slo, int services) => $"svc-{slo % services}";

    private const string Selector = "reporter=\"destination\",destination_service_name=\"{0}\"";

    private static string TotalQuery(string service) =>
        $"sum(rate(istio_requests_total{{{string.Format(CultureInfo.InvariantCulture, Selector, service)}}}[{{{{.window}}}}]))";

    private static string BadQuery(string service) =>
        $"sum(rate(istio_requests_total{{{string.Format(CultureInfo.InvariantCulture, Selector, service)},response_code=~\"5..\"}}[{{{{.window}}}}]))";

    /// <summary>
    /// <c>istio_requests_total</c> of each service, 200 and 503, one sample every <paramref name="sample"/> seconds from
    /// <paramref name="days"/> + 1 days ago to <paramref name="ahead"/> hours from now (the extra day and hours let a
    /// cached history serve runs for a few hours; Prometheus answers a query at t from the samples up to t only).
    /// Traffic follows the day (20 + 5 × service requests/s, ±50%); 0.1% of requests fail, and 5% during one hour
    /// every five days (a different hour per service). OpenMetrics: the family declared once, each series' samples
    /// together in time order, timestamps in seconds, "# EOF" at the end.
    /// </summary>
    private static int History(string file, int services, int days, int sample, int ahead)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var end = now + ahead * 3600L;
        var start = (now - (days + 1) * 86400L) / sample * sample;
        using var output = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20);
        output.Write("# TYPE istio_requests counter\n");
        for (var s = 0; s < services; s++)
        foreach (var code in new[] { "200", "503" })
        {
            var random = new Random(s * 2 + (code == "503" ? 1 : 0));
            var labels = $"istio_requests_total{{reporter=\"destination\",destination_service_name=\"svc-{s}\",response_code=\"{code}\"}} ";
            double value = 0;
            for (var t = start; t <= end; t += sample)
            {
                var rate = (20 + 5 * s) * (1 + 0.5 * Math.Sin(2 * Math.PI * t / 86400.0));
                var incident = (t / 3600 + s * 7) % 120 == 0;
                var errorShare = incident ? 0.05 : 0.001;
                var mean = rate * sample * (code == "503" ? errorShare : 1 - errorShare);
                value += Math.Max(0, Math.Round(mean + (random.NextDouble() - 0.5) * Math.Sqrt(mean) * 2));
                output.Write(labels);
                output.Write(value.ToString("R", CultureInfo.InvariantCulture));
                output.Write(' ');
                output.Write(t.ToString(CultureInfo.InvariantCulture));
                output.Write('\n');
            }
        }
        output.Write("# EOF\n");
        Console.WriteLine(end);
        return 0;
    }

    /// <summary>The <c>query_range</c> URLs the service sends to fill one SLO's history from <paramref name="from"/>: per range, total then bad.</summary>
    private static IEnumerable<string> FillQueries(string service, DateTimeOffset from, DateTimeOffset now) =>
        SlicePlan.Ranges(from, now, Slice, Lag).SelectMany(range => new[] { TotalQuery(service), BadQuery(service) }.Select(query =>
            $"/api/v1/query_range?query={Uri.EscapeDataString(SliQueryTemplate.Render(query, Slice))}"
            + $"&start={PrometheusAnswer.Format(range.FirstEnd)}&end={PrometheusAnswer.Format(range.LastEnd)}&step={Slice.TotalSeconds}s&timeout=30s"));

    private static async Task Define(HttpClient http, string name, string service, DateTimeOffset historyFrom)
    {
        var response = await http.PutAsJsonAsync($"/api/v1/slos/{name}", new
        {
            name, service, by = "bench", target = 0.999,
            window = new { kind = "rolling", duration = "30d" },
            sli = new { kind = "availability", badQuery = BadQuery(service), totalQuery = TotalQuery(service), historyFrom },
        });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>How many SLOs have been pulled through <paramref name="through"/> (the snapshot's PulledThrough), read straight from the database.</summary>
    private static async Task<long> PulledThrough(NpgsqlDataSource database, string schema, DateTimeOffset through)
    {
        await using var command = database.CreateCommand(
            $"select count(*) from {schema}.mt_doc_slo where (data->>'PulledThrough')::timestamptz >= $1");
        command.Parameters.AddWithValue(through);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<TimeSpan> WaitPulled(NpgsqlDataSource database, string schema, DateTimeOffset through, int slos, TimeSpan limit, Stopwatch clock)
    {
        while (await PulledThrough(database, schema, through) < slos)
        {
            if (clock.Elapsed > limit)
                throw new TimeoutException($"only {await PulledThrough(database, schema, through)} of {slos} SLOs pulled through {through:u} after {clock.Elapsed.TotalSeconds:N0} s");
            await Task.Delay(250);
        }
        return clock.Elapsed;
    }

    private static async Task<int> Fill(HttpClient http, string connection, string schema, string prometheusUrl, int slos, int days, int services)
    {
        // Raw baseline: the same query_range calls, one after the other as the service pulls its SLOs, each answer read
        // to its end (not parsed). A first pass over one SLO warms Prometheus up.
        var prometheus = new HttpClient { BaseAddress = new Uri(prometheusUrl), Timeout = TimeSpan.FromMinutes(2) };
        var start = DateTimeOffset.UtcNow;
        long bytes = 0;
        async Task Get(string url)
        {
            using var response = await prometheus.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[81920];
            for (int read; (read = await body.ReadAsync(buffer)) > 0;) bytes += read;
        }
        foreach (var url in FillQueries(Service(0, services), start.AddDays(-days), start)) await Get(url);
        bytes = 0;
        var queries = 0;
        var rawCpu = new CpuMeter(Pid("BENCH_SERVICE_PID"));
        var raw = Stopwatch.StartNew();
        for (var i = 0; i < slos; i++)
            foreach (var url in FillQueries(Service(i, services), start.AddDays(-days), start))
            {
                await Get(url);
                queries++;
            }
        var rawSeconds = raw.Elapsed.TotalSeconds;
        var rawUse = rawCpu.Report();
        var perSlo = queries / slos;
        var slices = SlicePlan.Ranges(start.AddDays(-days), start, Slice, Lag).Sum(r => r.Count);

        // The service: every SLO defined with a history of the same days, then the time until each is pulled through
        // the last slice due when the first was defined.
        await using var database = NpgsqlDataSource.Create(connection);
        // A warm-up as the raw loop had: a few SLOs (BENCH_PULL_WARMUP, 10) filled before the clock starts, so that the
        // service's code is compiled to its last tier (.NET compiles a method again once it has run often enough).
        var warmups = int.TryParse(Environment.GetEnvironmentVariable("BENCH_PULL_WARMUP"), out var w) ? w : 10;
        var warmup = DateTimeOffset.UtcNow;
        for (var i = 0; i < warmups; i++) await Define(http, $"pull-warmup-{i}", Service(i, services), warmup.AddDays(-days));
        await WaitPulled(database, schema, SlicePlan.AlignDown(warmup - Lag, Slice), warmups, TimeSpan.FromMinutes(10), Stopwatch.StartNew());
        var fillTimings = await Timings(http);
        var fillCpu = new CpuMeter(Pid("BENCH_SERVICE_PID"));
        var clock = Stopwatch.StartNew();
        var first = DateTimeOffset.UtcNow;
        for (var i = 0; i < slos; i++) await Define(http, $"pull-{i}", Service(i, services), first.AddDays(-days));
        var defined = clock.Elapsed;
        var due = SlicePlan.AlignDown(first - Lag, Slice);
        var filled = await WaitPulled(database, schema, due, slos + warmups, TimeSpan.FromHours(3), clock);
        var serviceSeconds = filled.TotalSeconds;
        var fillUse = fillCpu.Report();
        var fillWall = Between(fillTimings, await Timings(http));

        // What the service says: every SLO's source, pulled through the slices due, no fault.
        var list = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/slos");
        var sources = list.EnumerateArray().Select(s => s.GetProperty("source")).ToList();
        var late = sources.Count(s => s.GetProperty("pulledThrough").ValueKind != System.Text.Json.JsonValueKind.String
                                      || s.GetProperty("pulledThrough").GetDateTimeOffset() < due
                                      || s.TryGetProperty("fault", out var fault) && fault.ValueKind != System.Text.Json.JsonValueKind.Null);
        await using var count = database.CreateCommand($"select coalesce(sum(cardinality(slice_ends)), 0) from {schema}.mt_doc_slihour");
        var stored = await TryScalar(count);

        var rawFills = slos / rawSeconds;
        var fills = slos / serviceSeconds;
        Console.WriteLine($"history   {slos} SLOs x {days} days of 1-minute slices: {perSlo} query_range calls per SLO ({perSlo / 2} ranges of up to {SlicePlan.MaxPoints:N0} points x total and bad), {slices:N0} slices each");
        Console.WriteLine($"baseline  raw query_range loop, one after the other: {queries / rawSeconds,8:N1} queries/s  {rawFills,7:N2} SLO fills/s  ({rawSeconds:N1} s, {bytes / 1e6:N0} MB of answers)");
        Console.WriteLine($"service   history fill, {slos} SLOs defined in {defined.TotalSeconds:N1} s, all pulled after {serviceSeconds:N1} s: {fills,7:N2} SLO fills/s  ({slos * (long)slices / serviceSeconds:N0} slices/s{(stored is null ? "" : $", {stored:N0} slices stored")})");
        Console.WriteLine($"          raw loop:  {rawUse}");
        Console.WriteLine($"          the fill:  {fillUse}");
        Console.WriteLine($"          the fill:  {fillWall}");
        if (late > 0) Console.WriteLine($"WARNING   {late} SLOs of {sources.Count} are not pulled through {due:u} or have a fault, by the SLO list");
        Console.WriteLine($"ratio     service / raw fills: {fills / rawFills:P1} (target at least 50%)");
        return 0;
    }

    private static async Task<long?> TryScalar(NpgsqlCommand command)
    {
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
        catch (PostgresException)
        {
            return null;
        }
    }

    private static readonly double Ticks = double.Parse(Environment.GetEnvironmentVariable("CLK_TCK") ?? "100", CultureInfo.InvariantCulture);

    /// <summary>The fields of /proc/&lt;pid&gt;/stat after the command: [0] is the state (field 3), [1] the parent, [11..14] utime, stime, cutime, cstime.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double Field(string[] fields, int i) => long.Parse(fields[i], CultureInfo.InvariantCulture) / Ticks;

    /// <summary>utime + stime of a process, in seconds (/proc/&lt;pid&gt;/stat, fields 14 and 15, in clock ticks).</summary>
    private static double CpuSeconds(int pid) => Stat(pid) is { } f ? Field(f, 11) + Field(f, 12) : 0;

    /// <summary>
    /// A server and its worker processes (PostgreSQL's backends): its own time, its children's that ended (cutime,
    /// cstime: the postmaster waits for its backends) and its live children's. 0 when the pid is not given.
    /// </summary>
    private static double TreeCpuSeconds(int pid)
    {
        if (pid <= 0 || Stat(pid) is not { } own) return 0;
        var total = Field(own, 11) + Field(own, 12) + Field(own, 13) + Field(own, 14);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var child) && Stat(child) is { } f && f[1] == pid.ToString(CultureInfo.InvariantCulture))
                total += Field(f, 11) + Field(f, 12);
        return total;
    }

    /// <summary>
    /// Wall time from the service's /metrics, summed over every SLO and address: one SLO's pull (sre_slo_pull_duration_seconds)
    /// and the requests to Prometheus in it (http_client_request_duration_seconds), as (sum, count).
    /// </summary>
    private const string JitMetric = "dotnet_jit_compilation_time_seconds_total";

    private static async Task<Dictionary<string, (double Sum, double Count)>> Timings(HttpClient http)
    {
        var totals = new Dictionary<string, (double Sum, double Count)>();
        var text = await http.GetStringAsync("/metrics");
        foreach (var line in text.Split('\n'))
        {
            // Failed pulls (Prometheus unreachable, a conflict on the SLO's stream: the range is pulled again at the next sweep).
            if (line.StartsWith("sre_slo_pull_errors_total{", StringComparison.Ordinal))
            {
                var (s, c) = totals.GetValueOrDefault("errors");
                totals["errors"] = (s, c + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
            }
            // The runtime's meter: the JIT's compilation time so far, a counter (kept as a sum).
            if (line.StartsWith(JitMetric, StringComparison.Ordinal))
                totals[JitMetric] = (double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture), 1);
            foreach (var name in new[] { "sre_slo_pull_duration_seconds", "http_client_request_duration_seconds" })
            {
                var sum = line.StartsWith(name + "_sum", StringComparison.Ordinal);
                if (!sum && !line.StartsWith(name + "_count", StringComparison.Ordinal)) continue;
                var value = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                var (s, c) = totals.GetValueOrDefault(name);
                totals[name] = sum ? (s + value, c) : (s, c + value);
            }
        }
        return totals;
    }

    private static string Between(Dictionary<string, (double Sum, double Count)> before, Dictionary<string, (double Sum, double Count)> after)
    {
        string One(string name, string label)
        {
            var (s0, c0) = before.GetValueOrDefault(name);
            var (s1, c1) = after.GetValueOrDefault(name);
            return c1 > c0 ? $"{label} {c1 - c0:N0} x {(s1 - s0) / (c1 - c0) * 1000:N1} ms = {s1 - s0:N1} s" : $"{label} none";
        }
        return $"wall time, by the service's /metrics: {One("sre_slo_pull_duration_seconds", "SLO pulls")}; "
               + $"{One("http_client_request_duration_seconds", "query_range requests in them")}; "
               + $"failed pulls {after.GetValueOrDefault("errors").Count - before.GetValueOrDefault("errors").Count:N0}";
    }

    private static int Pid(string variable) => int.TryParse(Environment.GetEnvironmentVariable(variable), out var pid) ? pid : 0;

    /// <summary>CPU seconds of the service, PostgreSQL (BENCH_PG_PID, the postmaster) and Prometheus (BENCH_PROM_PID) since a start.</summary>
    private sealed class CpuMeter
    {
        private readonly int _service;
        private readonly (double Service, double Postgres, double Prometheus) _start;
        private readonly Stopwatch _wall = Stopwatch.StartNew();

        public CpuMeter(int service)
        {
            _service = service;
            _start = Now();
        }

        private (double Service, double Postgres, double Prometheus) Now() =>
            (CpuSeconds(_service), TreeCpuSeconds(Pid("BENCH_PG_PID")), TreeCpuSeconds(Pid("BENCH_PROM_PID")));

        public string Report()
        {
            var now = Now();
            var wall = _wall.Elapsed.TotalSeconds;
            string Part(string name, double seconds) => $"{name} {seconds:N1} s ({seconds / wall:P0} of a core)";
            return $"CPU in {wall:N0} s: {Part("service", now.Service - _start.Service)}, {Part("PostgreSQL", now.Postgres - _start.Postgres)}, "
                   + Part("Prometheus", now.Prometheus - _start.Prometheus);
        }
    }

    /// <summary>
    /// The CPU of the service and the servers over a span, and the service's <c>/metrics</c> read just before and just
    /// after it (<see cref="Timings"/>): the pulls and the JIT's compilation time of the same span.
    /// </summary>
    private static async Task<(double Cpu, double Wall, string Others, Dictionary<string, (double Sum, double Count)> Before, Dictionary<string, (double Sum, double Count)> After)> Measure(
        HttpClient http, int pid, TimeSpan length)
    {
        var before = await Timings(http);
        var cpu = CpuSeconds(pid);
        var meter = new CpuMeter(pid);
        var wall = Stopwatch.StartNew();
        await Task.Delay(length);
        var report = meter.Report();
        var spent = CpuSeconds(pid) - cpu;
        var elapsed = wall.Elapsed.TotalSeconds;
        var after = await Timings(http);
        var jit = after.GetValueOrDefault(JitMetric).Sum - before.GetValueOrDefault(JitMetric).Sum;
        return (spent, elapsed, $"{report}; the JIT compiled for {jit:N1} s of it", before, after);
    }

    private static async Task<int> Steady(HttpClient http, string connection, string schema, int pid, int slos, double minutes, int services, int history)
    {
        var length = TimeSpan.FromMinutes(minutes);
        // Baseline: the same service, Prometheus configured, no SLO yet, over as long, once its start is over (a minute:
        // the code of its start compiled and its first sweeps run, as in a service that has been up for a while).
        (await http.GetAsync("/api/v1/slos")).EnsureSuccessStatusCode();
        await Task.Delay(TimeSpan.FromSeconds(60));
        var idle = await Measure(http, pid, length);

        await using var database = NpgsqlDataSource.Create(connection);
        var clock = Stopwatch.StartNew();
        var first = DateTimeOffset.UtcNow;
        var defineCpu = CpuSeconds(pid);
        for (var i = 0; i < slos; i++) await Define(http, $"steady-{i}", Service(i, services), first.AddMinutes(-history));
        var defined = clock.Elapsed;
        defineCpu = CpuSeconds(pid) - defineCpu;
        // Caught up: every SLO pulled through the slices due when the last was defined (the pull every minute takes them).
        var due = SlicePlan.AlignDown(DateTimeOffset.UtcNow - Lag, Slice);
        var caught = await WaitPulled(database, schema, due, slos, TimeSpan.FromMinutes(30), clock);
        // Settled: the service pulls the SLOs for a while before it is measured, as one that has run for a while does (its
        // hot code compiled again by the JIT's tiering, which goes on for minutes after the first pulls).
        var settle = TimeSpan.FromMinutes(double.Parse(Environment.GetEnvironmentVariable("BENCH_STEADY_SETTLE_MINUTES") ?? "3", CultureInfo.InvariantCulture));
        var settling = await Measure(http, pid, settle);
        var loaded = await Measure(http, pid, length);
        var steadyWall = Between(loaded.Before, loaded.After);
        var pulls = loaded.After.GetValueOrDefault("sre_slo_pull_duration_seconds").Count - loaded.Before.GetValueOrDefault("sre_slo_pull_duration_seconds").Count;
        // Still keeping up: every SLO pulled through the slices due a pull before the end.
        var keptUp = await PulledThrough(database, schema, SlicePlan.AlignDown(DateTimeOffset.UtcNow - Lag - TimeSpan.FromMinutes(1.5), Slice));

        static double Share((double Cpu, double Wall, string Others, Dictionary<string, (double Sum, double Count)> Before, Dictionary<string, (double Sum, double Count)> After) m) =>
            m.Cpu / m.Wall;
        Console.WriteLine($"baseline  idle service (Prometheus configured, no SLO), {minutes:N0} min: {Share(idle),7:P2} of one core  ({idle.Cpu:N1} s CPU in {idle.Wall:N0} s)");
        Console.WriteLine($"          {slos:N0} SLOs defined (history {history} min) in {defined.TotalSeconds:N0} s ({defineCpu:N0} s CPU); all caught up {(caught - defined).TotalSeconds:N0} s later");
        Console.WriteLine($"service   steady state, {slos:N0} SLOs pulled each minute, {minutes:N0} min: {Share(loaded),7:P2} of one core  ({loaded.Cpu:N1} s CPU in {loaded.Wall:N0} s; {loaded.Cpu / pulls * 1000:N1} ms CPU per pull counted); {keptUp:N0} of {slos:N0} kept up");
        Console.WriteLine($"          idle:   {idle.Others}");
        Console.WriteLine($"          settling, {settle.TotalMinutes:0.#} min before: {settling.Others}");
        Console.WriteLine($"          steady: {loaded.Others}");
        Console.WriteLine($"          steady: {steadyWall}");
        // The sweeps that fall in a window of whole minutes are one more or one less than its minutes, as the window starts
        // in a sweep or between two: the CPU of the pulls counted in it, scaled to one pull of each SLO a minute.
        var perPull = pulls > 0 ? (loaded.Cpu - Share(idle) * loaded.Wall) / pulls : double.NaN;
        var atOnePerMinute = Share(idle) + perPull * slos / 60;
        Console.WriteLine($"          steady, {pulls:N0} pulls in {loaded.Wall:N0} s: {perPull * 1000:N1} ms CPU a pull above the idle service; at one pull of each SLO a minute: {atOnePerMinute:P2} of one core");
        Console.WriteLine($"ratio     steady / idle: {atOnePerMinute / Share(idle):N1}x; steady: {atOnePerMinute:P2} of one core at {slos:N0} pulls a minute, {atOnePerMinute - Share(idle):P2} above idle (target: steady under 10%)");
        return 0;
    }
}
