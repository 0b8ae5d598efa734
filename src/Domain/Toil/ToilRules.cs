namespace Sre.Domain.Toil;

/// <summary>Parsing and checking what people send about toil; each error is keyed by the field it is about.</summary>
public static class ToilRules
{
    public const int MaxMinutes = 7 * 24 * 60;

    /// <summary>"production interrupts", "production-interrupts", "productionInterrupts" all name the same category.</summary>
    public static ToilCategory? ParseCategory(string? text) => Normalise(text) switch
    {
        "troubleshootingofopaquearchitectures" => ToilCategory.Troubleshooting,
        "costengineering" or "capacityplanning" => ToilCategory.CostEngineeringAndCapacityPlanning,
        var n => Enum.GetValues<ToilCategory>().Cast<ToilCategory?>().FirstOrDefault(c => c.ToString()!.ToLowerInvariant() == n),
    };

    public static ToilTrait? ParseTrait(string? text) => Normalise(text) switch
    {
        "tactical" => ToilTrait.Reactive,
        "noenduringvalue" or "noenduring" => ToilTrait.NoEnduringValue,
        "growswiththeservice" or "scaleslinearly" => ToilTrait.GrowsWithService,
        var n => Enum.GetValues<ToilTrait>().Cast<ToilTrait?>().FirstOrDefault(c => c.ToString()!.ToLowerInvariant() == n),
    };

    private static string Normalise(string? text) =>
        new((text ?? "").Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());

    /// <summary>The traits named, or errors naming each unknown one.</summary>
    public static IReadOnlyList<ToilTrait> Traits(IReadOnlyList<string>? names, Dictionary<string, string[]> errors)
    {
        var traits = new List<ToilTrait>();
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            if (ParseTrait(names![i]) is { } t) traits.Add(t);
            else errors[$"traits[{i}]"] = [$"'{names[i]}' is not one of {string.Join(", ", Enum.GetNames<ToilTrait>())}."];
        }
        return traits.Distinct().ToList();
    }
}
