using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Tags;

/// <summary>Tag names and the find-or-create used when tags are attached to applications.</summary>
internal static partial class TagNames
{
    public static string? Check(string? name) =>
        name is not null && Name().IsMatch(name) ? null : "A tag name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.";

    /// <summary>Finds the team's tags with these names, creating the missing ones (not saved yet).</summary>
    public static async Task<List<Tag>> FindOrCreateAsync(SlipwayDbContext db, long teamId, IEnumerable<string> names, DateTime now, CancellationToken cancellationToken)
    {
        var wanted = names.Distinct(StringComparer.Ordinal).ToArray();
        var existing = await db.Tags.Where(t => t.TeamId == teamId && wanted.Contains(t.Name)).ToListAsync(cancellationToken);
        foreach (var name in wanted.Where(n => existing.All(t => t.Name != n)))
        {
            var tag = new Tag { Uuid = PublicId.New(), TeamId = teamId, Name = name, CreatedAt = now, UpdatedAt = now };
            db.Tags.Add(tag);
            existing.Add(tag);
        }

        return existing;
    }

    /// <summary>The rule as a JSON Schema pattern.</summary>
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
