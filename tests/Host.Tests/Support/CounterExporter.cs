using System.Net;
using System.Text;

namespace Sre.Host.Tests.Support;

/// <summary>
/// An exporter on a free loopback port: <c>live_requests_total</c> and <c>live_errors_total</c> in the text exposition
/// format, counters the test moves; it remembers every value it served.
/// </summary>
public sealed class CounterExporter : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Lock _lock = new();
    private long _requests = 1_000, _errors = 100;

    public CounterExporter()
    {
        var port = Repository.FreePort();
        Target = $"127.0.0.1:{port}";
        _listener.Prefixes.Add($"http://{Target}/");
        _listener.Start();
        _ = Serve();
    }

    public string Target { get; }

    private readonly (HashSet<long> Requests, HashSet<long> Errors) _served = ([], []);

    /// <summary>Every value served so far.</summary>
    public (HashSet<long> Requests, HashSet<long> Errors) Served()
    {
        lock (_lock) return ([.. _served.Requests], [.. _served.Errors]);
    }

    /// <summary>Adds each second's requests and failed requests (by the second's number) until stopped.</summary>
    public async Task Count(Func<int, (int Requests, int Errors)> perSecond, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            for (var tick = 0; await timer.WaitForNextTickAsync(stop); tick++)
            {
                var (requests, errors) = perSecond(tick);
                lock (_lock) (_requests, _errors) = (_requests + requests, _errors + errors);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            string body;
            lock (_lock)
            {
                _served.Requests.Add(_requests);
                _served.Errors.Add(_errors);
                body = $"# TYPE live_requests_total counter\nlive_requests_total {_requests}\n# TYPE live_errors_total counter\nlive_errors_total {_errors}\n";
            }
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "text/plain; version=0.0.4";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
