using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Sre.Host.Tests.Operations;

/// <summary>The service itself, started with one bad setting: it stops at once and says which key is wrong.</summary>
public class SettingsTests
{
    [Theory]
    [InlineData("Alertmanager__Writers", "0", "Alertmanager:Writers")]
    [InlineData("Alertmanager__HeldGroups", "1", "Alertmanager:HeldGroups")]
    [InlineData("Cache__Capacity", "-1", "Cache:Capacity")]
    [InlineData("Slos__EvaluationInterval", "00:00:00", "Slos:EvaluationInterval")]
    [InlineData("Slos__FreezeAtRemaining", "1.5", "Slos:FreezeAtRemaining")]
    [InlineData("Backups__MonitorInterval", "-00:01:00", "Backups:MonitorInterval")]
    [InlineData("Auth__MaxBodyBytes", "0", "Auth:MaxBodyBytes")]
    [InlineData("Bus__Transport", "Kafka", "Bus:Transport")]
    [InlineData("Marten__Schema", "sre;drop", "Marten:Schema")]
    [InlineData("Health__MaxProjectionLag", "-1", "Health:MaxProjectionLag")]
    [InlineData("Telemetry__OtlpEndpoint", "collector", "Telemetry:OtlpEndpoint")]
    [InlineData("Slos__MaxSliceLength", "an hour", "Slos:MaxSliceLength")]
    [InlineData("Prometheus__Url", "http://reader:secret@prometheus:9090", "Prometheus:Url")]
    [InlineData("Prometheus__Sources__tenant-a__SliceLength", "00:00:05", "Prometheus:Sources:tenant-a:SliceLength")]
    [InlineData("Prometheus__Sources__tenant-a__QueryTimeout", "01:00:00", "Prometheus:Sources:tenant-a:QueryTimeout")]
    public async Task an_invalid_setting_stops_the_service_at_start_naming_its_key(string variable, string value, string key)
    {
        var (exitCode, output) = await Run(new Dictionary<string, string> { [variable] = value });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(key, output);
    }

    /// <summary>Runs the service (no database reachable: settings are checked before it is needed) until it exits.</summary>
    private static async Task<(int ExitCode, string Output)> Run(IReadOnlyDictionary<string, string> env)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sre.Host.dll"));
        info.Environment["ConnectionStrings__Marten"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=1";
        info.Environment["Bus__Transport"] = "InMemory";
        info.Environment["Urls"] = "http://127.0.0.1:0";
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the service kept running with {string.Join(' ', env.Select(e => $"{e.Key}={e.Value}"))}");
        }
        // The command line wraps its error at the console's width: read it as one line.
        var output = Regex.Replace(await stdout + await stderr, @"\s+", " ");
        return (process.ExitCode, output);
    }
}
