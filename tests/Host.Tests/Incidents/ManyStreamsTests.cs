using Npgsql;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Sre.Host.Tests.Support;
using Sre.Projections;

namespace Sre.Host.Tests.Incidents;

/// <summary>The webhook's one-statement append of many streams, read back through Marten as its own appends are.</summary>
public class ManyStreamsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset At = AppFixture.Epoch;

    [Fact]
    public async Task events_of_new_and_existing_streams_read_back_as_martens_own()
    {
        var existing = await StreamWithOneEvent();
        var started = Guid.NewGuid();

        await Append(
            new ManyStreams.Append(started, 0, [Note("one"), Note("two")]),
            new ManyStreams.Append(existing, 1, [Note("three"), new IncidentAcknowledged(At, "alice")]));

        await using var session = Store.QuerySession();
        var startedEvents = await session.Events.FetchStreamAsync(started);
        Assert.Equal([1L, 2L], startedEvents.Select(e => e.Version));
        Assert.Equal(["one", "two"], startedEvents.Select(e => ((IncidentNoteAdded)e.Data).Text));
        var existingEvents = await session.Events.FetchStreamAsync(existing);
        Assert.Equal([1L, 2L, 3L], existingEvents.Select(e => e.Version));
        Assert.Equal(new IncidentAcknowledged(At, "alice"), existingEvents[2].Data);
        Assert.Equal("incident_acknowledged", existingEvents[2].EventTypeName);
        // The sequence numbers follow the order of the call, after those already taken.
        Assert.Equal(
            Enumerable.Range(0, 4).Select(i => existingEvents[0].Sequence + 1 + i),
            startedEvents.Concat(existingEvents.Skip(1)).Select(e => e.Sequence));

        var startedState = await session.Events.FetchStreamStateAsync(started);
        Assert.Equal(2, startedState!.Version);
        Assert.Equal(typeof(Incident), startedState.AggregateType);
        Assert.Equal(3, (await session.Events.FetchStreamStateAsync(existing))!.Version);
    }

    [Theory]
    [InlineData(0)] // started again
    [InlineData(2)] // at a version it never had
    public async Task a_stream_not_at_its_expected_version_refuses_the_whole_call_and_takes_no_sequence_number(long versionBefore)
    {
        var existing = await StreamWithOneEvent();
        var other = Guid.NewGuid();

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Append(
            new ManyStreams.Append(other, 0, [Note("lost")]),
            new ManyStreams.Append(existing, versionBefore, [Note("lost too")])));

        Assert.True(TransientFaults.IsConcurrencyConflict(refused), refused.ToString());
        Assert.Contains(refused.FlattenInner(), e => e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure });
        Assert.Equal(1, await StoredEvents());
        await using (var session = Store.QuerySession())
            Assert.Null(await session.Events.FetchStreamStateAsync(other));

        // No gap in the sequence: the next append takes the number after the last event's.
        await Append(new ManyStreams.Append(existing, 1, [Note("kept")]));
        await using var read = Store.QuerySession();
        var events = await read.Events.FetchStreamAsync(existing);
        Assert.Equal(events[0].Sequence + 1, events[1].Sequence);
    }

    private static IncidentNoteAdded Note(string text) => new(text, At, "alice");

    private async Task<Guid> StreamWithOneEvent()
    {
        var id = Guid.NewGuid();
        await using var session = Store.LightweightSession();
        session.Events.StartStream<Incident>(id, new IncidentOpened(id, "{}:{alertname=\"Test\"}", 1, "Test", "checkout", "page", [], "sre", null, At, "alertmanager"));
        await session.SaveChangesAsync();
        return id;
    }

    private async Task Append(params ManyStreams.Append[] appends)
    {
        await using var session = Store.LightweightSession();
        ManyStreams.Queue(session, typeof(Incident), appends, At);
        await session.SaveChangesAsync();
    }
}

internal static class ExceptionChain
{
    public static IEnumerable<Exception> FlattenInner(this Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException) yield return e;
    }
}
