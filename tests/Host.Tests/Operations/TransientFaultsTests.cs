using System.Net.Sockets;
using Npgsql;
using Sre.Host.Operations;

namespace Sre.Host.Tests.Operations;

/// <summary>Which faults answer 503 (retry) and which do not: a retry must be able to cure them.</summary>
public class TransientFaultsTests
{
    [Theory]
    [InlineData("08006")] // connection failure
    [InlineData("57P01")] // admin shutdown
    [InlineData("53300")] // too many connections
    public void a_server_that_is_going_away_or_overloaded_is_transient(string state) =>
        Assert.True(TransientFaults.IsTransient(new PostgresException("down", "FATAL", "FATAL", state)));

    [Theory]
    [InlineData("23505")] // unique violation
    [InlineData("22P02")] // invalid text representation
    [InlineData("42P01")] // undefined table
    public void a_server_error_a_retry_cannot_cure_is_not_transient(string state) =>
        Assert.False(TransientFaults.IsTransient(new PostgresException("bad", "ERROR", "ERROR", state)));

    [Fact]
    public void an_unreachable_database_is_transient()
    {
        Assert.True(TransientFaults.IsTransient(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(TransientFaults.IsTransient(new TimeoutException()));
        Assert.False(TransientFaults.IsTransient(new InvalidOperationException("a bug")));
    }
}
