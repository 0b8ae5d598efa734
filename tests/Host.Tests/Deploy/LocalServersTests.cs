using System.Diagnostics;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Deploy;

/// <summary>
/// The servers the scripts start beside other checkouts' servers: a port another checkout holds is named with its
/// folder, never taken for this checkout's own; and nothing listens beyond loopback.
/// </summary>
public class LocalServersTests
{
    /// <summary>A listener of "another checkout": a process working in that checkout's .local folder, on a port of its own.</summary>
    private static Process HoldPort(string folder, int port)
    {
        Directory.CreateDirectory(folder);
        var info = new ProcessStartInfo("perl", ["-MIO::Socket::INET", "-e",
            $"$| = 1; my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => {port}, Listen => 5, ReuseAddr => 1) or die $!; print \"up\\n\"; sleep 120"])
        {
            WorkingDirectory = folder, RedirectStandardOutput = true,
        };
        var process = Process.Start(info)!;
        Assert.Equal("up", process.StandardOutput.ReadLine());
        return process;
    }

    [Theory]
    [InlineData("pg", "PostgreSQL")]
    [InlineData("rmq", "RabbitMQ")]
    public async Task a_port_held_by_another_checkouts_server_is_named_with_its_folder_and_nothing_is_started_on_it(string script, string server)
    {
        var other = Directory.CreateTempSubdirectory("sre-other-checkout-").FullName;
        var port = Repository.FreePort();
        using var holder = HoldPort(Path.Combine(other, ".local", "test", script), port);
        try
        {
            // A cluster or node of this checkout's own, named for this test so that nothing else of the run is touched.
            var (code, output) = await Repository.Run(Repository.PathOf($"scripts/{script}"), "start", "port-held", port.ToString());

            Assert.True(code != 0, output);
            Assert.Contains($"cannot start {server} 'port-held': 127.0.0.1:{port} is held by perl (pid {holder.Id}) of another checkout, {other}", output);
            Assert.Contains($"(cd {other} && scripts/stop)", output);
            Assert.DoesNotContain("could not start server", output);
            Assert.False(holder.HasExited);
        }
        finally
        {
            holder.Kill();
            Directory.Delete(other, recursive: true);
        }
    }

    /// <summary>Every socket the tests' RabbitMQ node listens on (AMQP and its Erlang distribution port) and epmd: loopback.</summary>
    [Fact]
    public async Task the_test_broker_listens_on_loopback_only_its_erlang_distribution_port_too()
    {
        var (code, output) = await Repository.Run("ss", "-Hltnp");
        Assert.Equal(0, code);
        var listening = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => (Local: f[3], Process: f.Length > 5 ? f[5] : ""))
            .ToList();
        var amqp = listening.Single(l => l.Local.EndsWith($":{TestEnvironment.RabbitMqPort}"));
        var pid = System.Text.RegularExpressions.Regex.Match(amqp.Process, @"pid=(\d+),").Groups[1].Value;
        Assert.NotEmpty(pid);

        var node = listening.Where(l => l.Process.Contains($"pid={pid},") || l.Process.Contains("\"epmd\"")).ToList();
        Assert.Contains(node, l => l.Local.EndsWith($":{TestEnvironment.RabbitMqPort + 1000}"));
        Assert.All(node, l => Assert.True(l.Local.StartsWith("127.0.0.1:") || l.Local.StartsWith("[::1]:"), $"{l.Process} listens on {l.Local}"));
    }
}
