using System.Net.Http.Json;
using System.Text.Json;
using Sre.Domain.Backups;
using Sre.Domain.Slos;
using Sre.Domain.Toil;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Operations;

/// <summary>
/// A write sent again that changes nothing stores nothing, and answers the version that is stored: the one a GET
/// answers and the one the stream is at, never a version that was not written.
/// </summary>
public class IdempotentWriteTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private async Task<long> StreamVersion(Guid id)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(id))!.Version;
    }

    private async Task<(long First, long Again, int Appended)> Twice(HttpMethod method, string url, object body)
    {
        var first = await Client().Send(method, url, body);
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        var events = await StoredEvents();
        var again = await Client().Send(method, url, body);
        Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
        return ((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64(), await StoredEvents() - events);
    }

    [Fact]
    public async Task the_same_backup_policy_again_answers_the_stored_version()
    {
        var policy = new { kind = "velero", schedule = "0 7 * * *", rpo = "25h", by = "ops" };
        var (first, again, appended) = await Twice(HttpMethod.Put, "/api/v1/backups/policies/cluster-a", policy);
        Assert.Equal((1, 1, 0), (first, again, appended));
        Assert.Equal(1, (await Get<JsonElement>("/api/v1/backups/policies/cluster-a")).GetProperty("version").GetInt64());
        Assert.Equal(1, await StreamVersion(BackupTarget.IdFor("cluster-a")));
    }

    [Fact]
    public async Task the_same_team_size_again_answers_the_stored_version()
    {
        var team = new { engineers = 4, hoursPerWeek = 40, effectiveFrom = AppFixture.Epoch.AddDays(-30) };
        var (first, again, appended) = await Twice(HttpMethod.Put, "/api/v1/teams/payments", team);
        Assert.Equal((1, 1, 0), (first, again, appended));
        Assert.Equal(1, (await Get<JsonElement>("/api/v1/teams/payments")).GetProperty("version").GetInt64());
        Assert.Equal(1, await StreamVersion(Team.IdFor("payments")));
    }

    [Fact]
    public async Task the_same_slo_definition_again_answers_the_stored_version_after_observations()
    {
        await Client().DefineSlo(SloSteps.Availability());
        await Client().Observe("checkout-availability", AppFixture.Epoch.AddMinutes(-10), 5, total: 100, bad: 1);
        var (first, again, appended) = await Twice(HttpMethod.Put, "/api/v1/slos/checkout-availability", SloSteps.Availability());
        var stored = await StreamVersion(SloIds.For("checkout-availability"));
        Assert.Equal((stored, stored, 0), (first, again, appended));
        Assert.Equal(stored, (await Get<JsonElement>("/api/v1/slos/checkout-availability")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task the_same_red_slos_again_answer_their_stored_versions()
    {
        var red = new
        {
            by = "alice", errors = new { targetPercent = 99.5 }, duration = new { threshold = "100ms", targetPercent = 99 },
            rate = new { minPerMinute = 1000, maxDrop = 0.1, dropWindow = "10m" },
        };
        Assert.True((await Client().Send(HttpMethod.Post, "/api/v1/services/cart/red-slos", red)).IsSuccessStatusCode);
        await Client().Observe("cart-errors", AppFixture.Epoch.AddMinutes(-10), 5, total: 100, bad: 1);
        var events = await StoredEvents();
        var again = await (await Client().Send(HttpMethod.Post, "/api/v1/services/cart/red-slos", red)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(events, await StoredEvents());
        foreach (var slo in again.EnumerateArray())
            Assert.Equal(await StreamVersion(SloIds.For(slo.GetProperty("name").GetString()!)), slo.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task a_resent_toil_entry_and_deployment_answer_the_stored_version()
    {
        var toil = new { team = "payments", who = "ana", category = "production interrupts", taskKey = "tmp-dir-cleanup", minutes = 45,
            performedAt = AppFixture.Epoch.AddDays(-2) };
        Assert.Equal((1, 1, 0), await Twice(HttpMethod.Post, "/api/v1/toil", toil));
        var deployment = new { version = "v42", by = "ci", deployedAt = AppFixture.Epoch.AddMinutes(-10) };
        Assert.Equal((1, 1, 0), await Twice(HttpMethod.Post, "/api/v1/services/checkout/deployments", deployment));
    }
}
