using System.Diagnostics.Metrics;

namespace Sre.Host.Tests.Support;

/// <summary>
/// Counts the HTTP requests this process sends to one address, failed or not, as .NET's own
/// <c>http.client.request.duration</c> records them (one per attempt, below the resilience pipeline): it observes the
/// real requests, it fakes nothing.
/// </summary>
public sealed class HttpAttempts : IDisposable
{
    private readonly MeterListener _listener = new();
    private int _count;
    private int _failed;

    public HttpAttempts(string url)
    {
        var port = new Uri(url).Port;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Meter.Name: "System.Net.Http", Name: "http.client.request.duration" }) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            var (toPort, failed) = (false, false);
            foreach (var tag in tags)
            {
                if (tag is { Key: "server.port", Value: int p }) toPort = p == port;
                if (tag.Key == "error.type") failed = true;
            }
            if (!toPort) return;
            Interlocked.Increment(ref _count);
            if (failed) Interlocked.Increment(ref _failed);
        });
        _listener.Start();
    }

    /// <summary>Requests sent so far (every attempt, retries included).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Those that got no answer (connection refused, timeout).</summary>
    public int Failed => Volatile.Read(ref _failed);

    public void Dispose() => _listener.Dispose();
}
