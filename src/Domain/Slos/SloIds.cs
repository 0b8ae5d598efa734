namespace Sre.Domain.Slos;

/// <summary>An SLO's stream id is the name-based UUID of its name, so a name can be defined only once.</summary>
public static class SloIds
{
    private static readonly Guid Namespace = new("0b7f3c52-5d0e-4f7e-9a55-93c1f0d2b6e4");

    public static Guid For(string name) => NameBasedGuid.Create(Namespace, name);
}
