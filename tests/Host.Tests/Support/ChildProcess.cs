using System.Diagnostics;

namespace Sre.Host.Tests.Support;

/// <summary>A program the end-to-end tests run beside them, its output kept in a log file.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

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

    /// <summary>The service itself (the Host built beside the tests) on a port of its own.</summary>
    public static async Task<ChildProcess> Service(string url, string log, IReadOnlyDictionary<string, string> env, HttpClient http)
    {
        var all = new Dictionary<string, string>(TestKeys.Environment()) { ["Urls"] = url };
        foreach (var (k, v) in env) all[k] = v;
        var service = Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Sre.Host.dll")], log, all);
        await Repository.Eventually(async () => (await http.GetAsync($"{url}/api/v1/incidents")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), $"the service at {url} answers");
        return service;
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the database or the broker.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
