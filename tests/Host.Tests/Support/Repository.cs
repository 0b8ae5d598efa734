using System.Diagnostics;

namespace Sre.Host.Tests.Support;

/// <summary>Paths in the repository, and the local tools the end-to-end tests drive.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sre.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Sre.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a command to its end and answers its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits for a condition to hold, checking it every 200 ms, and fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException)
            {
                // Not up yet: keep waiting until the deadline.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout}: {what}");
            await Task.Delay(200);
        }
    }
}
