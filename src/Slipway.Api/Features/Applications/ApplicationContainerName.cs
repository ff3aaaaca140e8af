using Microsoft.EntityFrameworkCore;
using Slipway.Api.Http;
using Slipway.Core.Applications;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Applications;

/// <summary>
/// A fixed container name (<c>custom_internal_name</c>) is one per server: Docker refuses a second container of that
/// name, which the deployment would find out only after stopping the application's old container.
/// </summary>
internal static class ApplicationContainerName
{
    public static async Task CheckUniqueAsync(SlipwayDbContext db, Application application, long serverId, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var field = ApplicationTable.CustomInternalName.Name;
        var name = application.CustomInternalName;
        if (string.IsNullOrEmpty(name) || errors.Has(field))
        {
            return;
        }

        // Another application's custom name, or its uuid (the name is_consistent_container_name_enabled gives it).
        var holder = await db.Applications.AsNoTracking()
            .Where(a => a.ServerId == serverId && a.Id != application.Id && (a.CustomInternalName == name || a.Uuid == name))
            .Select(a => a.Uuid)
            .FirstOrDefaultAsync(cancellationToken);
        if (holder is not null)
        {
            errors.Add(field, $"The container name {name} is already used on this server by application {holder}: choose another {field}.");
        }
    }
}
