using Npgsql;
using Slipway.Api.Tests.Fixtures;
using Slipway.Infrastructure.Cluster;

namespace Slipway.Api.Tests.Data;

/// <summary>
/// How Slipway connects to PostgreSQL (<see cref="PostgresSessions"/>): pooled sessions are reused without a reset and
/// prepare the statements they run again and again, unless the operator's connection string says otherwise.
/// </summary>
public sealed class PostgresSessionsTests : IAsyncLifetime
{
    private TestDatabase? _database;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreatePostgresAsync();

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public void ConnectionStrings_PooledOnesPrepareAndSkipTheReset_DedicatedOnesAreUnpooled()
    {
        var sessions = new PostgresSessions("Host=127.0.0.1;Database=slipway");

        var pooled = new NpgsqlConnectionStringBuilder(sessions.ConnectionString);
        Assert.True(pooled.NoResetOnClose);
        Assert.Equal(64, pooled.MaxAutoPrepare);
        Assert.Contains($"-c slipway.origin={sessions.Origin}", pooled.Options, StringComparison.Ordinal);
        var dedicated = new NpgsqlConnectionStringBuilder(sessions.DedicatedConnectionString);
        Assert.False(dedicated.Pooling);
        Assert.Contains($"-c slipway.origin={sessions.Origin}", dedicated.Options, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=slipway;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("Host=127.0.0.1;Database=slipway;NoResetOnClose=false;MaxAutoPrepare=0")]
    public void ConnectionStrings_WhatTheOperatorSet_IsKept(string given)
    {
        var pooled = new NpgsqlConnectionStringBuilder(new PostgresSessions(given).ConnectionString);

        Assert.False(pooled.NoResetOnClose);
        Assert.Equal(0, pooled.MaxAutoPrepare);
    }

    [Fact]
    public async Task PooledSession_ReusedAfterClose_KeepsItsState_AndPreparesARepeatedStatement()
    {
        var sessions = new PostgresSessions(_database!.ConnectionString!);
        int firstBackend;
        await using (var connection = await OpenAsync(sessions))
        {
            firstBackend = await ScalarAsync<int>(connection, "SELECT pg_backend_pid()");
            // A temporary table lives until the session is reset (DISCARD ALL or DISCARD TEMP) or ends.
            await ScalarAsync<object>(connection, "CREATE TEMP TABLE reuse_marker (id int)");
        }

        for (var i = 0; i < 10; i++)
        {
            await using var connection = await OpenAsync(sessions);
            await using var command = new NpgsqlCommand("SELECT $1::int + 41", connection) { Parameters = { new() { Value = i } } };
            Assert.Equal(i + 41, await command.ExecuteScalarAsync(Ct));
        }

        await using (var connection = await OpenAsync(sessions))
        {
            Assert.Equal(firstBackend, await ScalarAsync<int>(connection, "SELECT pg_backend_pid()"));
            Assert.True(await ScalarAsync<bool>(connection, "SELECT to_regclass('pg_temp.reuse_marker') IS NOT NULL"), "The pooled session was reset.");
            Assert.True(
                await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%$1::int + 41%'") == 1,
                "The statement run ten times was not prepared.");
            Assert.Equal(sessions.Origin, await ScalarAsync<string>(connection, "SELECT current_setting('slipway.origin')"));
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(PostgresSessions sessions)
    {
        var connection = new NpgsqlConnection(sessions.ConnectionString);
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Ct) ?? default(T)!);
    }
}
