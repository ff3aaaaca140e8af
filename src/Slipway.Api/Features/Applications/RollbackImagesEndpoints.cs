using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Core.Commands;
using Slipway.Core.Common;
using Slipway.Core.Engine;
using Slipway.Core.Execution;
using Slipway.Core.Tokens;

namespace Slipway.Api.Features.Applications;

/// <summary><c>GET /applications/{uuid}/rollback-images</c>: the kept images (one per commit) and which one runs now.</summary>
internal static class RollbackImagesEndpoints
{
    public static RouteGroupBuilder MapRollbackImages(this RouteGroupBuilder group)
    {
        group.MapGet("/{uuid}/rollback-images", ListAsync).WithName("list-application-rollback-images")
            .WithSummary("Images that can be rolled back to.").RequireAbility(ApiAbility.Read);
        return group;
    }

    private static async Task<Results<Ok<RollbackImagesResponse>, NotFound<ErrorResponse>>> ListAsync(
        string uuid, HttpContext http, [AsParameters] ApplicationServices s, [FromServices] IExecutionTargets targets, CancellationToken cancellationToken)
    {
        var application = await ApplicationsEndpoints.FindAsync(s.Db, uuid, http.Caller().TeamId, cancellationToken);
        if (application is null)
        {
            return ApiResults.NotFound(ApplicationsEndpoints.NotFoundMessage);
        }

        var server = await s.Db.Servers.AsNoTracking().FirstAsync(x => x.Id == application.ServerId, cancellationToken);
        var runner = (await targets.GetAsync(server, cancellationToken)).Runner;
        var images = await ImageHistory.ListAsync(runner, application.Uuid, cancellationToken);
        var containers = await runner.RunAsync(DockerCommands.ListContainers(application.Uuid, 0), throwOnFailure: false, cancellationToken: cancellationToken);
        var current = containers.StandardOutput.Select(l => l.Split('\t')).Where(p => p.Length >= 3 && p[1] == "running")
            .Select(p => p[2]).FirstOrDefault();
        var currentTag = current is not null && current.StartsWith(application.Uuid + ":", StringComparison.Ordinal) ? current[(application.Uuid.Length + 1)..] : null;
        return ApiResults.Ok(new RollbackImagesResponse(
            currentTag,
            images.Select(i => new RollbackImage(i.Tag, Timestamps.ToWire(i.CreatedAt), i.Tag == currentTag)).ToList()));
    }
}

public sealed record RollbackImagesResponse(string? Current, IReadOnlyList<RollbackImage> Images);

public sealed record RollbackImage(string Tag, string CreatedAt, bool IsCurrent);
