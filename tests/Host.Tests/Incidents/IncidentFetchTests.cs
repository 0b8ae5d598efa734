using Marten;
using Marten.Services;
using Npgsql;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Incidents;

/// <summary>How a command gets its incident (Marten's FetchForWriting, alone or in Wolverine's batch query).</summary>
public class IncidentFetchTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task a_command_reads_the_stored_incident_with_its_version_never_its_events()
    {
        var id = (await FiringAlert("fp1", "fp2")).Id;
        var sql = new SqlRecorder();
        await using var session = Store.LightweightSession();
        session.Logger = sql;

        var alone = await session.Events.FetchForWriting<Incident>(id);
        var batch = session.CreateBatchQuery();
        var item = batch.Events.FetchForWriting<Incident>(id);
        await batch.Execute();
        var batched = await item;

        Assert.Equal((3L, 3L), (alone.Aggregate!.Version, batched.Aggregate!.Version));
        Assert.NotEmpty(sql.Commands);
        Assert.DoesNotContain(sql.Commands, c => c.Contains("mt_events"));
    }

    [Fact]
    public async Task an_append_on_a_fetched_incident_fails_when_another_writer_committed_first()
    {
        var id = (await FiringAlert("fp1")).Id;
        await using var session = Store.LightweightSession();
        var stream = await session.Events.FetchForWriting<Incident>(id);

        await using (var other = Store.LightweightSession())
        {
            other.Events.Append(id, 3, new IncidentNoteAdded("first", AppFixture.Epoch, "bob"));
            await other.SaveChangesAsync();
        }
        stream.AppendOne(new IncidentNoteAdded("second", AppFixture.Epoch, "alice"));
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());

        Assert.True(TransientFaults.IsConcurrencyConflict(refused), refused.ToString());
        Assert.Equal(3, await StoredEvents());
    }

    private sealed class SqlRecorder : IMartenSessionLogger
    {
        public List<string> Commands { get; } = [];
        public void OnBeforeExecute(NpgsqlCommand command) => Commands.Add(command.CommandText);
        public void OnBeforeExecute(NpgsqlBatch batch) => Commands.AddRange(batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText));
        public void LogSuccess(NpgsqlCommand command) { }
        public void LogSuccess(NpgsqlBatch batch) { }
        public void LogFailure(NpgsqlCommand command, Exception ex) { }
        public void LogFailure(NpgsqlBatch batch, Exception ex) { }
        public void LogFailure(Exception ex, string message) { }
        public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }
    }
}
