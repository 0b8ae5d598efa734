using System.Net;
using System.Text.Json.Nodes;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Operations;

/// <summary>
/// A write answers the state it stored: what a GET reads right after it, to the version. The endpoints decide and
/// Wolverine commits; the answer is worked out from the decision or read after the commit, never a guess.
/// </summary>
public class WriteAnswerTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private async Task AnswersWhatIsStored(HttpResponseMessage write, HttpStatusCode status, string get)
    {
        Assert.Equal(status, write.StatusCode);
        var answered = JsonNode.Parse(await write.Content.ReadAsStringAsync());
        var stored = JsonNode.Parse(await (await Client().GetAsync(get)).Content.ReadAsStringAsync());
        Assert.True(JsonNode.DeepEquals(stored, answered), $"answered {answered}\nstored {stored}");
    }

    [Fact]
    public async Task a_team_answers_its_size_as_stored()
    {
        var put = (int engineers) => Client().Send(HttpMethod.Put, "/api/v1/teams/payments",
            new { engineers, hoursPerWeek = 40, effectiveFrom = AppFixture.Epoch.AddDays(-30), by = "ops" });
        await AnswersWhatIsStored(await put(4), HttpStatusCode.OK, "/api/v1/teams/payments");
        await AnswersWhatIsStored(await put(5), HttpStatusCode.OK, "/api/v1/teams/payments");
    }

    [Fact]
    public async Task an_slo_answers_its_definition_as_stored()
    {
        await AnswersWhatIsStored(await Client().Send(HttpMethod.Post, "/api/v1/slos", SloSteps.Availability()),
            HttpStatusCode.Created, "/api/v1/slos/checkout-availability");
        await AnswersWhatIsStored(await Client().Send(HttpMethod.Put, "/api/v1/slos/checkout-availability", SloSteps.Availability(target: 0.99)),
            HttpStatusCode.OK, "/api/v1/slos/checkout-availability");
        await AnswersWhatIsStored(await Client().DeleteAsync("/api/v1/slos/checkout-availability?by=alice"),
            HttpStatusCode.OK, "/api/v1/slos/checkout-availability");
    }

    [Fact]
    public async Task a_backup_policy_and_an_automation_answer_what_is_stored()
    {
        await AnswersWhatIsStored(await Client().Send(HttpMethod.Put, "/api/v1/backups/policies/cluster-a",
                new { kind = "velero", schedule = "0 7 * * *", rpo = "25h", slos = new { freshness = 0.99, durability = 0.9 } }),
            HttpStatusCode.Created, "/api/v1/backups/policies/cluster-a");
        await AnswersWhatIsStored(await Client().Send(HttpMethod.Put, "/api/v1/backups/policies/cluster-a",
                new { kind = "velero", schedule = "0 8 * * *", rpo = "25h", slos = new { freshness = 0.99 } }),
            HttpStatusCode.OK, "/api/v1/backups/policies/cluster-a");

        var automation = await Client().Send(HttpMethod.Post, "/api/v1/toil/automations", new { taskKey = "restart-pods", by = "ops" });
        await AnswersWhatIsStored(automation, HttpStatusCode.Created, automation.Headers.Location!.ToString());
    }
}
