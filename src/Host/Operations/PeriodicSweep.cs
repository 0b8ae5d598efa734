namespace Sre.Host.Operations;

/// <summary>
/// A background loop on the injected clock: <see cref="SweepAll"/> every <see cref="Interval"/> (a
/// <see cref="PeriodicTimer"/> on the <see cref="TimeProvider"/>, so a test's fake clock drives it). A sweep that fails
/// is logged and the next tick tries again; stopping the host ends the loop.
/// </summary>
public abstract class PeriodicSweep(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The service's clock, which the loop's timer runs on.</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>The time between two sweeps.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>True to sweep once as the loop starts, before the first tick.</summary>
    protected virtual bool SweepsAtStart => false;

    /// <summary>One pass; also called by tests and commands directly.</summary>
    public abstract Task SweepAll(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval, Clock);
        try
        {
            if (SweepsAtStart) await Sweep(stop);
            while (await timer.WaitForNextTickAsync(stop)) await Sweep(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task Sweep(CancellationToken stop)
    {
        try
        {
            await SweepAll(stop);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "{Sweep} failed; retrying at the next tick", GetType().Name);
        }
    }
}
