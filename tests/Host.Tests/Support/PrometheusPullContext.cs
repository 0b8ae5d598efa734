using Microsoft.Extensions.DependencyInjection;
using Sre.Domain.Slos;
using Sre.Host.Slos.Prometheus;

namespace Sre.Host.Tests.Support;

/// <summary>
/// Base of the tests of the pull: a real Prometheus serving the test's known history at the data source "history"
/// (started before each test, stopped after), the puller, and the SLO's stream and stored slices to compare.
/// </summary>
public abstract class PrometheusPullContext(AppFixture fixture) : IntegrationContext(fixture), IAsyncLifetime
{
    protected static readonly DateTimeOffset T = AppFixture.Epoch;
    protected static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Where the data source "history" is.</summary>
    protected string PrometheusUrl { get; } = fixture.PrometheusUrl;

    protected HttpClient Http { get; } = new();

    /// <summary>The Prometheus serving <see cref="Samples"/>, once the test runs.</summary>
    protected PrometheusWithHistory Prometheus { get; private set; } = null!;

    /// <summary>The history Prometheus serves.</summary>
    protected abstract IReadOnlyList<PrometheusWithHistory.Sample> Samples { get; }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Prometheus = await PrometheusWithHistory.Start(Samples, PrometheusUrl);
        await Prometheus.Ready(Http);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Prometheus is not null) await Prometheus.DisposeAsync();
        Http.Dispose();
    }

    protected SliPuller Puller => Host.Services.GetRequiredService<SliPuller>();

    /// <summary>One periodic pull of every pulled SLO, and what it set off.</summary>
    protected Task PullAll() => Host.Settled(() => Puller.SweepAll(CancellationToken.None));

    /// <summary>The events of an SLO's stream, in order.</summary>
    protected async Task<List<object>> Events(string slo)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamAsync(SloIds.For(slo))).Select(e => e.Data).ToList();
    }

    /// <summary>Every slice recorded on an SLO's stream, by end.</summary>
    protected async Task<List<ObservedSlice>> Stored(string slo) =>
        (await Events(slo)).OfType<SliObserved>().SelectMany(o => o.Slices)
        .Select(s => new ObservedSlice(s.Start, s.End, s.Total, s.Good)).OrderBy(s => s.End).ToList();
}
