using JasperFx.CommandLine;
using Marten;
using Sre.Domain.Slos;

namespace Sre.Host.Slos;

public class WritePrometheusRulesInput : NetCoreInput
{
    [Description("The rule file to write")]
    public string OutFlag { get; set; } = "slo-rules.yml";

    [Description("Write a Prometheus Operator PrometheusRule resource of this name instead of a rule file (for Kubernetes)")]
    public string? PrometheusRuleFlag { get; set; }
}

/// <summary>
/// <c>dotnet Sre.Host.dll prometheus-rules --out rules.yml</c>: the rules of every SLO with a PromQL SLI, in one file;
/// with <c>--prometheus-rule NAME</c>, as a PrometheusRule resource for the Prometheus Operator.
/// </summary>
[Description("Writes the Prometheus recording and alerting rules of all SLOs with PromQL SLIs to a file", Name = "prometheus-rules")]
public class WritePrometheusRulesCommand : JasperFxAsyncCommand<WritePrometheusRulesInput>
{
    public override async Task<bool> Execute(WritePrometheusRulesInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var session = store.QuerySession();
        var slos = (await session.Query<Slo>().Where(s => s.Retired == null).ToListAsync())
            .Where(s => PrometheusRules.Unsupported(s.Definition) is null)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var groups = slos.SelectMany(s => PrometheusRules.Groups(s.Definition, now));
        await File.WriteAllTextAsync(input.OutFlag, input.PrometheusRuleFlag is { } name
            ? PrometheusRules.PrometheusRuleYaml(groups, name)
            : PrometheusRules.Yaml(groups));
        Console.WriteLine($"Wrote the rules of {slos.Count} SLO(s) to {input.OutFlag}");
        return true;
    }
}
