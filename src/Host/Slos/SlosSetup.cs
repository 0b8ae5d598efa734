using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Npgsql;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using Sre.Host.Operations;

namespace Sre.Host.Slos;

/// <summary>Configuration section "Slos": limits on SLI slices and the thresholds of the error budget policy.</summary>
public sealed class SloPolicyOptions
{
    [Range(typeof(TimeSpan), "00:00:01", "31.00:00:00"), Display(Name = "Slos:MaxSliceLength")]
    public TimeSpan MaxSliceLength { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00"), Display(Name = "Slos:MaxFutureSkew")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The remaining budget (ratio) at or under which the budget counts as exhausted and releases freeze.</summary>
    [Range(0.0, 1.0), Display(Name = "Slos:FreezeAtRemaining")]
    public double FreezeAtRemaining { get; set; }

    /// <summary>The share of an SLO's budget one incident may spend before it needs a postmortem.</summary>
    [Range(0.0, 1.0), Display(Name = "Slos:PostmortemAtIncidentSpend")]
    public double PostmortemAtIncidentSpend { get; set; } = 0.2;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00"), Display(Name = "Slos:EvaluationInterval")]
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A budget event (issue 23) is a span in which an SLO spent at least this share of its period's budget…</summary>
    [Range(0.0001, 1.0), Display(Name = "Slos:BudgetEventShare")]
    public double BudgetEventShare { get; set; } = 0.02;

    /// <summary>…within this long (the workbook's page threshold: 2% within 1h).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00"), Display(Name = "Slos:BudgetEventWithin")]
    public TimeSpan BudgetEventWithin { get; set; } = TimeSpan.FromHours(1);

    public SignificanceRule Significance => new(BudgetEventShare, BudgetEventWithin);

    /// <summary>What the pure slice rules need of these.</summary>
    public ObservationLimits Limits => new() { MaxSliceLength = MaxSliceLength, MaxFutureSkew = MaxFutureSkew };
}

public static class SlosSetup
{
    /// <summary>SLI slices in and out (the slice store reads the shared pool), and the sweep that evaluates every SLO on the clock.</summary>
    public static IServiceCollection AddSlos(this IServiceCollection services)
    {
        services.AddSreOptions<SloPolicyOptions>("Slos");
        services.AddSingleton<ObservationWriter>();
        services.AddSingleton(sp => new SliceStore(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<EventStoreOptions>>().Value.Schema));
        services.AddSingleton<SloSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<SloSweep>());
        return services;
    }
}
