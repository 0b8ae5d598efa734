using System.Security.Cryptography;
using System.Text;

namespace Sre.Domain;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5): the same name always gives the same stream id, so two writers that
/// race to start the same stream collide in the event store instead of creating two.
/// </summary>
public static class NameBasedGuid
{
    public static Guid Create(Guid @namespace, string name)
    {
        var hash = SHA1.HashData([.. @namespace.ToByteArray(bigEndian: true), .. Encoding.UTF8.GetBytes(name)]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
