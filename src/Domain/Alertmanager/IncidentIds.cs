using System.Security.Cryptography;
using System.Text;

namespace Sre.Domain.Alertmanager;

/// <summary>
/// The n-th incident of an Alertmanager group has a name-based UUID (RFC 9562 version 5) of
/// groupKey and n. Two writers that race to open the same incident start the same stream,
/// so the event store refuses the second instead of letting a group have two open incidents.
/// </summary>
public static class IncidentIds
{
    private static readonly Guid Namespace = new("6f1c1f43-9a34-4c0e-b1e4-2a8e3e0f5a71");

    public static Guid For(string groupKey, int sequence)
    {
        var name = Encoding.UTF8.GetBytes($"{groupKey}\n{sequence}");
        var ns = Namespace.ToByteArray(bigEndian: true);
        var hash = SHA1.HashData([.. ns, .. name]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
