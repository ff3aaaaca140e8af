using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Users;
using Slipway.Infrastructure;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Users;
using static Slipway.Api.Tests.Fixtures.ApiAssert;

namespace Slipway.Api.Tests.Cli;

/// <summary>
/// <c>slipway users create</c> and <c>users reset-password</c> through the real executable, the password on standard
/// input; what they stored is checked with Slipway's own UserService on the same data directory (or PostgreSQL database).
/// </summary>
public sealed class UsersCommandTests
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task UsersCreate_PasswordOnStandardInput_PrintsIdOfAUserWhoCanSignIn()
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = SlipwayExecutable.DataArguments(database);

        var created = (await SlipwayExecutable.RunWithInputAsync(Password + "\n",
            ["users", "create", "--email", "Ada@Example.com", "--role", "admin", .. data])).AssertSucceeded();

        var id = long.Parse(created.OutputLines[^1], CultureInfo.InvariantCulture);
        await using var services = Services(database);
        var user = await services.GetRequiredService<UserService>().VerifyAsync("ada@example.com", Password, Ct);
        Assert.NotNull(user);
        Assert.Equal((id, UserRoles.Admin, 0L), (user.Id, user.Role, user.TeamId));
        Assert.Null(await services.GetRequiredService<UserService>().VerifyAsync("ada@example.com", Password + "x", Ct));
    }

    [Fact]
    public async Task UsersCreate_ShortPasswordOrUnknownRole_FailsAndCreatesNobody()
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = SlipwayExecutable.DataArguments(database);

        (await SlipwayExecutable.RunWithInputAsync("short\n", ["users", "create", "--email", "a@example.com", .. data])).AssertError(4, "password");
        (await SlipwayExecutable.RunWithInputAsync(Password + "\n", ["users", "create", "--email", "a@example.com", "--role", "king", .. data])).AssertError(4, "role");
        (await SlipwayExecutable.RunWithInputAsync("", ["users", "create", "--email", "a@example.com", .. data])).AssertError(4, "standard input");

        await using var services = Services(database);
        await using var db = await services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContextAsync(Ct);
        Assert.False(await db.Users.AnyAsync(Ct));
    }

    [Fact]
    public async Task UsersResetPassword_ChangesThePasswordAndEndsEverySession()
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = SlipwayExecutable.DataArguments(database);
        (await SlipwayExecutable.RunWithInputAsync(Password + "\n", ["users", "create", "--email", "bo@example.com", .. data])).AssertSucceeded();
        await using (var services = Services(database))
        {
            var user = (await services.GetRequiredService<UserService>().VerifyAsync("bo@example.com", Password, Ct))!;
            await using var db = await services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContextAsync(Ct);
            db.UserSessions.Add(new UserSession { UserId = user.Id, KeyHash = "h", CreatedAt = DateTime.UtcNow, ExpiresAt = DateTime.UtcNow.AddDays(1) });
            await db.SaveChangesAsync(Ct);
        }

        (await SlipwayExecutable.RunWithInputAsync("the new long password\n", ["users", "reset-password", "--email", "bo@example.com", .. data])).AssertSucceeded();
        (await SlipwayExecutable.RunWithInputAsync(Password + "\n", ["users", "reset-password", "--email", "nobody@example.com", .. data])).AssertError(4, "nobody@example.com");

        await using (var services = Services(database))
        {
            var users = services.GetRequiredService<UserService>();
            Assert.Null(await users.VerifyAsync("bo@example.com", Password, Ct));
            Assert.NotNull(await users.VerifyAsync("bo@example.com", "the new long password", Ct));
            await using var db = await services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContextAsync(Ct);
            Assert.False(await db.UserSessions.AnyAsync(Ct));
        }
    }

    private static ServiceProvider Services(TestDatabase database) =>
        new ServiceCollection().AddLogging().AddSlipwayData(new SlipwayDataOptions
        {
            DataDir = database.DataDir,
            Database = database.Provider,
            PostgresConnectionString = database.ConnectionString,
        }).BuildServiceProvider();
}
