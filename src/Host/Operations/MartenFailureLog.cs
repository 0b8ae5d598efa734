using Marten;
using Marten.Services;
using Npgsql;

namespace Sre.Host.Operations;

/// <summary>
/// Marten's command log, with the level a fault deserves. A concurrent writer that moved a stream on first is a
/// conflict the caller handles (409, a webhook batch retried, an evaluation done again): Debug, so that Error stays
/// for faults someone must look at and a log-based alert on errors keeps its meaning. Every other failure is an
/// Error with its SQL, as Marten's own logger writes it; successes are Debug.
/// </summary>
public sealed class MartenFailureLog(ILogger<IDocumentStore> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Executed schema update SQL:\n{SQL}", sql);

    public void LogSuccess(NpgsqlCommand command) => logger.LogDebug("{SQL}", command.CommandText);

    public void LogSuccess(NpgsqlBatch batch) => logger.LogDebug("Batch of {Count} commands", batch.BatchCommands.Count);

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failure(ex, command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) =>
        Failure(ex, string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));

    public void LogFailure(Exception ex, string message) => Failure(ex, message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }

    private void Failure(Exception ex, string sql)
    {
        if (TransientFaults.IsConcurrencyConflict(ex))
            logger.LogDebug("A concurrent writer moved the stream on first ({Reason}); the caller handles it:\n{SQL}", ex.Message, sql);
        else
            logger.LogError(ex, "Marten encountered an exception executing\n{SQL}", sql);
    }
}
