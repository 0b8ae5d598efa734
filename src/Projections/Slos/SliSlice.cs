using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

/// <summary>One recorded SLI slice, queried by SLO and end time; RecordedAt lets a past instant ignore data that came later.</summary>
public sealed record SliSlice(string Id, Guid SloId, DateTimeOffset Start, DateTimeOffset End, long Good, long Total, DateTimeOffset RecordedAt)
{
    public static string IdOf(Guid sloId, DateTimeOffset start, DateTimeOffset end) => $"{sloId:N}:{start.UtcTicks}:{end.UtcTicks}";

    public SliceObservation ToObservation() => new(Start, End, Good, Total);
}
