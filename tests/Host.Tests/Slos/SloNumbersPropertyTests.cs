using System.Text.Json;
using CsCheck;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

/// <summary>
/// The numbers the service computes from its projections, against a brute-force recomputation from the raw
/// observations, for random histories with gaps, late data, resent slices and target changes.
/// </summary>
public class SloNumbersPropertyTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private sealed record Step(int Advance, int Ago, int Count, int Total, int BadPercent, int Gap, int TargetChoice);

    private sealed record Accepted(DateTimeOffset Start, DateTimeOffset End, long Good, long Total, DateTimeOffset RecordedAt);

    private static readonly double[] Targets = [0.99, 0.995, 0.999];
    private static readonly (string Name, TimeSpan Length)[] Windows =
    [
        ("5m", TimeSpan.FromMinutes(5)), ("30m", TimeSpan.FromMinutes(30)), ("1h", TimeSpan.FromHours(1)), ("2h", TimeSpan.FromHours(2)),
        ("6h", TimeSpan.FromHours(6)), ("1d", TimeSpan.FromDays(1)), ("3d", TimeSpan.FromDays(3)), ("30d", TimeSpan.FromDays(30)),
    ];

    private static readonly Gen<Step> StepGen =
        Gen.Select(Gen.Int[1, 240], Gen.Int[0, 300], Gen.Int[1, 40], Gen.Int[0, 1000], Gen.Int[0, 100], Gen.Int[0, 4], Gen.Int[0, 4])
            .Select(t => new Step(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7));

    [Fact]
    public async Task status_matches_a_brute_force_recomputation()
    {
        await StepGen.Array[1, 8].SampleAsync(Scenario, iter: 15, threads: 1);
    }

    private async Task Scenario(Step[] steps)
    {
        // Each history starts afresh, as a test does: no data, nothing cached, the clock at the epoch.
        await InitializeAsync();
        var defined = Clock.GetUtcNow();
        await Client().DefineSlo(SloSteps.Availability(target: 0.999));
        var targets = new List<(DateTimeOffset From, double Target)> { (defined, 0.999) };
        var accepted = new Dictionary<(DateTimeOffset, DateTimeOffset), Accepted>();
        var instants = new List<DateTimeOffset>();

        foreach (var step in steps)
        {
            Clock.Advance(TimeSpan.FromMinutes(step.Advance));
            var now = Clock.GetUtcNow();
            if (step.TargetChoice == 0)
            {
                var target = Targets[(step.Total + step.Ago) % Targets.Length];
                await Client().Send(HttpMethod.Put, "/api/v1/slos/checkout-availability", SloSteps.Availability(target: target));
                targets.Add((now, target));
            }

            var firstStart = now.AddMinutes(-step.Ago - step.Count);
            var slices = Enumerable.Range(0, step.Count)
                .Where(i => step.Gap == 0 || i % (step.Gap + 1) != 0)
                .Select(i =>
                {
                    var total = (step.Total + 37L * i) % 1001;
                    return new { start = firstStart.AddMinutes(i), end = firstStart.AddMinutes(i + 1), good = total - total * step.BadPercent / 100, total };
                })
                .ToList();
            if (slices.Count > 0)
            {
                var response = await Client().Send(HttpMethod.Post, "/api/v1/slos/checkout-availability/observations", new { slices });
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                foreach (var s in slices) accepted.TryAdd((s.start, s.end), new Accepted(s.start, s.end, s.good, s.total, now));
            }
            instants.Add(now);
        }

        foreach (var at in instants.Append(Clock.GetUtcNow().AddMinutes(7)))
        {
            var status = await Get<JsonElement>($"/api/v1/slos/checkout-availability/status?at={Uri.EscapeDataString(at.ToString("O"))}");
            var target = targets.Last(t => t.From <= at).Target;
            var known = accepted.Values.Where(s => s.RecordedAt <= at && s.Start >= defined && s.End <= at).ToList();
            (long Good, long Total) Over(TimeSpan w)
            {
                var from = at - w;
                var inside = known.Where(s => s.End > from).ToList();
                return (inside.Sum(s => s.Good), inside.Sum(s => s.Total));
            }

            var period = Over(TimeSpan.FromDays(30));
            Assert.Equal(period.Total, status.GetProperty("sli").GetProperty("total").GetDouble());
            Assert.Equal(period.Good, status.GetProperty("sli").GetProperty("good").GetDouble());
            var remaining = period.Total == 0 ? 1 : 1 - (period.Total - period.Good) / ((1 - target) * period.Total);
            Assert.Equal(remaining, status.GetProperty("budget").GetProperty("remaining").GetDouble(), 9);

            var burns = status.GetProperty("burnRates").EnumerateArray().ToDictionary(b => b.GetProperty("window").GetString()!);
            foreach (var (name, length) in Windows)
            {
                var (good, total) = Over(length);
                Assert.Equal(total, burns[name].GetProperty("total").GetDouble());
                var burn = burns[name].GetProperty("burnRate");
                if (total == 0) Assert.Equal(JsonValueKind.Null, burn.ValueKind);
                else Assert.Equal((1 - (double)good / total) / (1 - target), burn.GetDouble(), 9);
            }
        }
    }
}
