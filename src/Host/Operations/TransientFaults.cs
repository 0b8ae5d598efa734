using System.Net.Sockets;
using Npgsql;

namespace Sre.Host.Operations;

/// <summary>Faults that a retry can cure: the database unreachable, restarting or overloaded.</summary>
public static class TransientFaults
{
    public static bool IsTransient(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NpgsqlException { IsTransient: true }:
                case PostgresException { SqlState: var state } when state.StartsWith("08") || state.StartsWith("57P") || state.StartsWith("53"):
                case SocketException:
                case TimeoutException:
                case IOException:
                    return true;
                // A server error that is not a connection or resource fault (a constraint, bad data) will fail again.
                case PostgresException:
                    return false;
                case NpgsqlException when e.InnerException is null:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Runs a write that decides on state it loads, again on fresh state when another writer committed to the same
    /// stream first, at most <paramref name="attempts"/> times. Only for a request that must store its own write before
    /// it answers; side effects are retried by the one Wolverine policy (<see cref="SideEffects"/>).
    /// </summary>
    public static async Task<T> RetryOnConflict<T>(int attempts, Func<Task<T>> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write();
            }
            catch (Exception e) when (IsConcurrencyConflict(e) && attempt < attempts)
            {
            }
        }
    }

    private const string StreamVersionMismatch = "MT003";

    public static bool IsConcurrencyConflict(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is JasperFx.ConcurrencyException or JasperFx.Events.ExistingStreamIdCollisionException) return true;
            // The webhook's own append (ManyStreams): a stream moved on before it (40001); or its events met those of an
            // append that had not moved the stream yet, Marten's, which ends in one of the two waiting on the other.
            // Marten's quick append refusing a stale expected version raises MT003 before Marten turns it into its exception.
            if (e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or StreamVersionMismatch }
                or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_mt_events_stream_and_version" })
                return true;
        }
        return false;
    }
}
