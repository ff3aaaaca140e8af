using Microsoft.EntityFrameworkCore;
using Slipway.Core.Common;
using Slipway.Core.Teams;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Teams;

public sealed class TeamService(IDbContextFactory<SlipwayDbContext> contexts, TimeProvider clock)
{
    /// <summary>Creates a team with the next free id (the root team, created first, gets 0).</summary>
    public async Task<Team> CreateAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await CreateAsync(db, name, cancellationToken);
    }

    internal async Task<Team> CreateAsync(SlipwayDbContext db, string name, CancellationToken cancellationToken)
    {
        var max = await db.Teams.MaxAsync(t => (long?)t.Id, cancellationToken);
        var now = Timestamps.Now(clock);
        var team = new Team
        {
            Id = max is null ? Team.RootId : max.Value + 1,
            Name = name,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Teams.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        return team;
    }
}
