namespace Sre.Host.Operations;

/// <summary>
/// What a set of observable gauges reads (<paramref name="reading"/>, as the log names it), taken once per scrape at most every <paramref name="freshness"/> (by the
/// injected clock: never served across a clock that moved on, or back), however many gauges ask. Gauge callbacks are
/// synchronous, so the scrape waits for one reading; a reading that fails is logged and the last one served.
/// </summary>
public sealed class ScrapeSnapshot<T>(
    string reading, T initial, Func<CancellationToken, Task<T>> take, TimeSpan freshness, TimeProvider clock, ILogger logger)
{
    private readonly Lock _gate = new();
    private T _value = initial;
    private DateTimeOffset _takenAt = DateTimeOffset.MinValue;

    public T Current()
    {
        lock (_gate)
        {
            var age = clock.GetUtcNow() - _takenAt;
            if (age >= TimeSpan.Zero && age < freshness) return _value;
            try
            {
                _value = take(CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Reading {Reading} failed; the last reading is served", reading);
            }
            _takenAt = clock.GetUtcNow();
            return _value;
        }
    }

    /// <summary>The next scrape reads afresh.</summary>
    public void Forget()
    {
        lock (_gate) _takenAt = DateTimeOffset.MinValue;
    }
}
