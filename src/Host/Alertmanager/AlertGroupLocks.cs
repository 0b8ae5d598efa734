using System.Security.Cryptography;
using System.Text;
using Marten;

namespace Sre.Host.Alertmanager;

/// <summary>
/// Serialises the two writers of an Alertmanager group's document (<c>AlertGroup</c>): the webhook when it opens a new
/// incident for the group, and the attach of the group to an incident. Each takes, in its transaction, a PostgreSQL
/// advisory lock per group key (in key order, so two writers never wait on each other in a cycle) before it commits, the
/// attach before it reads the group; PostgreSQL releases it at commit, rollback, or when the connection dies. So an
/// attach never writes the group back to a count of incidents older than one the webhook opened meanwhile.
/// </summary>
public static class AlertGroupLocks
{
    // The key's upper half, so these locks meet no other lock of the database ("SREG").
    private const long LockSpace = 0x5352_4547_0000_0000;

    /// <summary>Takes the groups' locks in the session's transaction, which must be open already.</summary>
    public static async Task Take(IDocumentSession session, IEnumerable<string> groupKeys, CancellationToken ct)
    {
        foreach (var key in groupKeys.Distinct().Order(StringComparer.Ordinal))
            await session.QueryAsync<bool>("select pg_advisory_xact_lock(?) is null", ct, KeyOf(key));
    }

    /// <summary>A stable 64-bit key of the group key (its SHA-256's first four bytes in the lower half).</summary>
    public static long KeyOf(string groupKey) =>
        LockSpace | BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(groupKey)), 0);
}
