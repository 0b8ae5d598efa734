namespace Sre.Domain.Alertmanager;

/// <summary>The n-th incident of an Alertmanager group is the name-based UUID of groupKey and n.</summary>
public static class IncidentIds
{
    private static readonly Guid Namespace = new("6f1c1f43-9a34-4c0e-b1e4-2a8e3e0f5a71");

    public static Guid For(string groupKey, int sequence) => NameBasedGuid.Create(Namespace, $"{groupKey}\n{sequence}");
}
