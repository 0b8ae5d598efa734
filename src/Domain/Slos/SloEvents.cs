using Sre.Domain.Slos.Alerting;

namespace Sre.Domain.Slos;

// The SLO stream: its definition over time, the SLI data it was fed, and the transitions the evaluator saw.

public interface ISloEvent
{
    DateTimeOffset At { get; }
    string By { get; }
}

public sealed record SloDefined(Guid SloId, SloDefinition Definition, DateTimeOffset At, string By) : ISloEvent;

public sealed record SloTargetChanged(double From, double To, DateTimeOffset At, string By) : ISloEvent;

public sealed record SloWindowChanged(SloWindow From, SloWindow To, DateTimeOffset At, string By) : ISloEvent;

/// <summary>Any other change of the definition (SLI, budgeting, description, labels, alerting): the whole new definition.</summary>
public sealed record SloRedefined(SloDefinition Definition, DateTimeOffset At, string By) : ISloEvent;

public sealed record SloRetired(DateTimeOffset At, string By) : ISloEvent;

/// <summary>
/// New SLI slices (never one already recorded for this SLO with the same start and end). Stored in columns
/// (<see cref="SliceColumnsConverter"/>): a pull of a month of minute slices is 43,200 of them.
/// </summary>
public sealed record SliObserved(
    [property: System.Text.Json.Serialization.JsonConverter(typeof(SliceColumnsConverter))] IReadOnlyList<SliceObservation> Slices,
    DateTimeOffset At, string By) : ISloEvent;

public sealed record BurnRateAlertRaised(
    string Severity, TimeSpan LongWindow, TimeSpan ShortWindow, double Factor, double LongBurnRate, double ShortBurnRate,
    DateTimeOffset At, string By) : ISloEvent;

public sealed record BurnRateAlertCleared(
    string Severity, TimeSpan LongWindow, TimeSpan ShortWindow, double Factor, double? LongBurnRate, double? ShortBurnRate,
    DateTimeOffset At, string By) : ISloEvent;

public sealed record ErrorBudgetExhausted(double Remaining, DateTimeOffset At, string By) : ISloEvent;

public sealed record ErrorBudgetRestored(double Remaining, DateTimeOffset At, string By) : ISloEvent;

/// <summary>
/// The pull from Prometheus asked for every slice ending after <see cref="From"/> and at or before <see cref="Through"/>
/// (those with data are in an <see cref="SliObserved"/> of the same transaction). The SLO's progress: the next pull
/// starts there, after a restart too.
/// </summary>
public sealed record SliPulled(DateTimeOffset From, DateTimeOffset Through, string Source, DateTimeOffset At, string By) : ISloEvent;

/// <summary>
/// Prometheus refused the SLO's query (bad PromQL, 400; a query it cannot run, 422) or the SLI cannot be pulled as
/// defined: a fault of this SLO that a retry will not cure. Recorded once; the SLO is not pulled until it is redefined.
/// </summary>
public sealed record SliPullFaulted(string Kind, string Message, DateTimeOffset At, string By) : ISloEvent;

/// <summary>
/// The pull met slices that Prometheus no longer holds (<see cref="Reason"/> <c>retention</c>: they ended before the
/// oldest instant its retention keeps): the slices after <see cref="From"/> and up to <see cref="To"/> are a gap, not good
/// or bad data, and are not asked for. The pull's progress moves past them in the same transaction (<see cref="SliPulled"/>).
/// </summary>
public sealed record SliGapRecorded(DateTimeOffset From, DateTimeOffset To, string Reason, string Source, DateTimeOffset At, string By) : ISloEvent;

/// <summary>
/// A significant event found in the SLO's SLI data (issue 23): at least <paramref name="Share"/> of the period's budget spent
/// within <paramref name="Within"/>. <see cref="BudgetEvent.Start"/> is the start of its first bad slice, its end that of the
/// last one, <see cref="BudgetEvent.Spent"/> the share of the period's budget spent between them. Recorded once by the
/// evaluator (<see cref="Alerting.BudgetEventRecording"/>).
/// </summary>
public sealed record BudgetEventRecorded(BudgetEvent Event, double Share, TimeSpan Within, DateTimeOffset At, string By) : ISloEvent;

/// <summary>
/// A recorded budget event grew (a burn that went on, or late data), or late data joined several into one: the events it
/// replaces (<paramref name="Extends"/>, as recorded) and the event they are now. Never a silent rewrite.
/// </summary>
public sealed record BudgetEventExtended(
    BudgetEvent Event, IReadOnlyList<BudgetEvent> Extends, double Share, TimeSpan Within, DateTimeOffset At, string By) : ISloEvent;

/// <summary>Good and total events of an SLI between start and end (for rate SLIs, total alone counts).</summary>
public sealed record SliceObservation(DateTimeOffset Start, DateTimeOffset End, long Good, long Total);
