using Slipway.Api.Tests.Deployments;
using Slipway.Core.Deployments;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Auth;

/// <summary>
/// The authenticated routes under test, each with the ability it needs and the answer an allowed caller gets
/// on a fixed arrangement (an application with one finished deployment), so allowed and denied calls are both exact.
/// </summary>
internal sealed record AuthRoute(string Name, HttpMethod Method, string Template, ApiAbility Required, int AllowedStatus)
{
    public static readonly AuthRoute[] All =
    [
        new("list-deployments", HttpMethod.Get, "/api/v1/deployments", ApiAbility.Read, 200),
        new("get-deployment", HttpMethod.Get, "/api/v1/deployments/{deployment}", ApiAbility.Read, 200),
        new("list-by-application", HttpMethod.Get, "/api/v1/deployments/applications/{application}", ApiAbility.Read, 200),
        new("cancel-deployment", HttpMethod.Post, "/api/v1/deployments/{deployment}/cancel", ApiAbility.Deploy, 400),
        new("deploy", HttpMethod.Post, "/api/v1/deploy", ApiAbility.Deploy, 400),
        new("deploy-get", HttpMethod.Get, "/api/v1/deploy", ApiAbility.Deploy, 405),
        new("version", HttpMethod.Get, "/api/v1/version", ApiAbility.Read, 200),
        new("current-token", HttpMethod.Get, "/api/v1/tokens/current", ApiAbility.None, 200),
    ];

    public static AuthRoute Named(string name) => All.Single(r => r.Name == name);

    /// <summary>A request for this route against the tenant's arrangement.</summary>
    public HttpRequestMessage Request(string applicationUuid, string deploymentUuid) =>
        new(Method, Template.Replace("{application}", applicationUuid, StringComparison.Ordinal)
            .Replace("{deployment}", deploymentUuid, StringComparison.Ordinal));

    public static async Task<(string Application, string Deployment)> ArrangeAsync(Tenant tenant)
    {
        var application = await tenant.ApplicationAsync();
        var deployment = await tenant.DeploymentAsync(application, DeploymentStatus.Finished);
        return (application.Uuid, deployment.Uuid);
    }
}
