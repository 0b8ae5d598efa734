using Sre.Domain.Slos;
using Sre.Host.Slos.OpenSlo;

namespace Sre.Host.Tests.Slos.OpenSlo;

/// <summary>The reading of OpenSLO text and its rules, without a store: pure.</summary>
public class OpenSloReaderTests
{
    private static (List<OpenSloDocument> Documents, Dictionary<string, string[]> Errors) Parse(string text)
    {
        var errors = new Dictionary<string, string[]>();
        return (OpenSloReader.Parse(text, errors), errors);
    }

    private static IReadOnlyList<SloDefinition> Slos(string text)
    {
        var (documents, errors) = Parse(text);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        var index = OpenSloReader.Index(documents, errors);
        var slos = documents.Where(d => d.Kind == OpenSloKinds.Slo)
            .SelectMany(d => OpenSloReader.Objectives(d, (k, n) => index.GetValueOrDefault((k, n)), OpenSloReader.Lookup.Empty, errors)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        return slos;
    }

    private const string Minimal = """
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: checkout
        spec:
          service: shop
          budgetingMethod: Occurrences
          timeWindow:
            - duration: 28d
              isRolling: true
          indicator:
            metadata:
              name: checkout-sli
            spec:
              ratioMetric:
                counter: true
                good:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: sum(rate(ok[{{.window}}]))
                total:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: sum(rate(all[{{.window}}]))
          objectives:
            - displayName: Good
              target: 0.995
        """;

    [Fact]
    public void a_minimal_slo_reads_to_one_definition()
    {
        var d = Assert.Single(Slos(Minimal));
        Assert.Equal(("checkout", "shop", 0.995, TimeSpan.FromDays(28)), (d.Name, d.Service, d.Target, d.Window.Duration!.Value));
        Assert.Equal("sum(rate(ok[{{.window}}]))", d.Sli.GoodQuery);
    }
}
