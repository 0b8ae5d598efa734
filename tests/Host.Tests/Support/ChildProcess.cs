using System.Diagnostics;

namespace Sre.Host.Tests.Support;

/// <summary>
/// A program the end-to-end tests run beside them, its output kept in a log file. Every one still running when the test
/// process exits is killed then: xunit does not dispose a fixture whose start failed, and its children would otherwise
/// outlive the run (and load the machine under every later test and benchmark).
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ChildProcess, byte> Running = new();

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var child in Running.Keys) child.Dispose();
    };

    private readonly Process _process;

    private ChildProcess(Process process)
    {
        _process = process;
        Running[this] = 0;
    }

    public static ChildProcess Start(string file, IEnumerable<string> args, string log, IReadOnlyDictionary<string, string> env)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        var process = Process.Start(info)!;
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process);
    }

    private static readonly Sre.Host.Cluster.ClusterOptions ClusterTimings = new()
    {
        HeartbeatInterval = TimeSpan.FromSeconds(1), StaleNodeTimeout = TimeSpan.FromSeconds(5), AssignmentCheckInterval = TimeSpan.FromSeconds(2),
    };

    /// <summary>
    /// The settings of service processes that share one database as a cluster (Balanced), on timings short enough for a
    /// test: a heartbeat a second, a process dead after 5 s without one, so its work moves within
    /// <see cref="Handover"/> (Cluster:Handover). The default for a service started here is Solo, alone on its schema.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Clustered = new Dictionary<string, string>
    {
        ["Cluster__Mode"] = "Balanced",
        ["Cluster__HeartbeatInterval"] = ClusterTimings.HeartbeatInterval.ToString(),
        ["Cluster__StaleNodeTimeout"] = ClusterTimings.StaleNodeTimeout.ToString(),
        ["Cluster__AssignmentCheckInterval"] = ClusterTimings.AssignmentCheckInterval.ToString(),
    };

    /// <summary>The handover time of <see cref="Clustered"/> processes, as the service states it (Cluster:Handover).</summary>
    public static TimeSpan Handover => ClusterTimings.Handover;

    /// <summary>The service itself (the Host built beside the tests) on a port of its own.</summary>
    public static async Task<ChildProcess> Service(string url, string log, IReadOnlyDictionary<string, string> env, HttpClient http)
    {
        var all = new Dictionary<string, string>(TestKeys.Environment()) { ["Urls"] = url, ["Cluster__Mode"] = "Solo" };
        foreach (var (k, v) in env) all[k] = v;
        var service = Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Sre.Host.dll")], log, all);
        try
        {
            await Repository.Eventually(async () => (await http.GetAsync($"{url}/api/v1/incidents")).IsSuccessStatusCode,
                TimeSpan.FromSeconds(60), $"the service at {url} answers");
            return service;
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>
    /// SIGTERM, as Kubernetes stops a pod: the host shuts down gracefully (Kestrel finishes the requests in flight, the
    /// node leaves the cluster); waits for the exit.
    /// </summary>
    public async Task Terminate(TimeSpan timeout)
    {
        if (_process.HasExited) return;
        var (code, output) = await Repository.Run("kill", "-TERM", _process.Id.ToString());
        if (code != 0 && !_process.HasExited) throw new InvalidOperationException($"kill -TERM {_process.Id}: {output}");
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the database or the broker.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!Running.TryRemove(this, out _)) return;
        Kill();
        _process.Dispose();
    }
}
