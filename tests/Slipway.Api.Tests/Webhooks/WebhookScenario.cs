using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Previews;
using Slipway.Core.Secrets;
using Slipway.Core.Servers;
using Slipway.Core.Webhooks;
using Slipway.Testing.Webhooks;

namespace Slipway.Api.Tests.Webhooks;

/// <summary>
/// An application connected to a repository of its own (a fresh name, so tests sharing a database never deliver
/// to each other's applications), with the same webhook secret for every provider, and deliveries to it.
/// </summary>
internal sealed class WebhookScenario
{
    private static readonly Dictionary<string, (string Push, string PullRequest, string PushEvent, string PullRequestEvent, string Url)> Providers = new()
    {
        [GitProviders.GitHub] = ("github-push", "github-pull_request", "push", "pull_request", "https://github.com/octo-org/{0}"),
        [GitProviders.GitLab] = ("gitlab-push", "gitlab-merge_request", "Push Hook", "Merge Request Hook", "https://gitlab.example.com/acme/platform/{0}.git"),
        [GitProviders.Gitea] = ("gitea-push", "gitea-pull_request", "push", "pull_request", "https://gitea.example.com/acme/{0}.git"),
        [GitProviders.Bitbucket] = ("bitbucket-repo-push", "bitbucket-pullrequest-created", "repo:push", "pullrequest:created", "https://bitbucket.org/acme-team/{0}"),
    };

    private readonly ApiFactory _factory;

    private WebhookScenario(ApiFactory factory, Tenant tenant, Application application, string provider, string repositoryName, string secret)
    {
        _factory = factory;
        Tenant = tenant;
        Application = application;
        Provider = provider;
        RepositoryName = repositoryName;
        Secret = secret;
    }

    public Tenant Tenant { get; }
    public Application Application { get; }
    public string Provider { get; }
    public string RepositoryName { get; }
    public string Secret { get; }
    public string PushEvent => Providers[Provider].PushEvent;
    public string PullRequestEvent => Providers[Provider].PullRequestEvent;

    public static string RepositoryUrl(string provider, string repositoryName) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Providers[provider].Url, repositoryName);

    public static async Task<WebhookScenario> CreateAsync(
        ApiFactory factory, string provider = GitProviders.GitHub, Action<Application>? configure = null, int queueLimit = Server.DefaultDeploymentQueueLimit,
        string? repositoryName = null, Tenant? tenant = null)
    {
        tenant ??= await Tenant.CreateAsync(factory, queueLimit);
        repositoryName ??= "site-" + Guid.NewGuid().ToString("N")[..12];
        var secret = "whsec-" + Guid.NewGuid().ToString("N");
        var protector = factory.Services.GetRequiredService<ISecretProtector>();
        var application = await tenant.ApplicationAsync(repositoryName, a =>
        {
            a.GitRepository = RepositoryUrl(provider, repositoryName);
            a.ProtectedWebhookSecretGithub = protector.Protect(secret);
            a.ProtectedWebhookSecretGitlab = protector.Protect(secret);
            a.ProtectedWebhookSecretGitea = protector.Protect(secret);
            a.ProtectedWebhookSecretBitbucket = protector.Protect(secret);
            configure?.Invoke(a);
        });
        return new WebhookScenario(factory, tenant, application, provider, repositoryName, secret);
    }

    public JsonObject PushPayload() => WebhookPayloads.Load(Providers[Provider].Push, RepositoryName);

    public JsonObject PullRequestPayload() => WebhookPayloads.Load(Providers[Provider].PullRequest, RepositoryName);

    /// <summary>Delivers <paramref name="payload"/> signed with the scenario's secret (or <paramref name="secret"/>; null sends no signature).</summary>
    public Task<HttpResponseMessage> SendAsync(
        string eventName, JsonObject payload, string? deliveryId = null, Optional<string?> secret = default, string? forwardedFor = null) =>
        SendBytesAsync(eventName, payload.Bytes(), deliveryId, secret, forwardedFor);

    /// <summary>Delivers the bytes; <paramref name="forwardedFor"/> is sent as <c>X-Forwarded-For</c>, as a reverse proxy would.</summary>
    public async Task<HttpResponseMessage> SendBytesAsync(
        string eventName, byte[] body, string? deliveryId = null, Optional<string?> secret = default, string? forwardedFor = null)
    {
        using var client = _factory.ClientWith(null);
        using var request = WebhookPayloads.Delivery(Provider, eventName, body, secret.HasValue ? secret.Value : Secret, deliveryId);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> PushAsync(string? deliveryId = null) => SendAsync(PushEvent, PushPayload(), deliveryId);

    public async Task<List<Deployment>> DeploymentsAsync()
    {
        await using var db = _factory.CreateDbContext();
        return await db.Deployments.AsNoTracking().Where(d => d.ApplicationId == Application.Id).OrderBy(d => d.Id).ToListAsync(TestContext.Current.CancellationToken);
    }

    public async Task<List<ApplicationPreview>> PreviewsAsync()
    {
        await using var db = _factory.CreateDbContext();
        return await db.ApplicationPreviews.AsNoTracking().Where(p => p.ApplicationId == Application.Id).OrderBy(p => p.PullRequestId).ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Refused deliveries recorded for the application (apart from its history).</summary>
    public async Task<List<RefusedWebhookDelivery>> RefusedAsync()
    {
        await using var db = _factory.CreateDbContext();
        return await db.RefusedWebhookDeliveries.AsNoTracking().Where(d => d.ApplicationId == Application.Id).OrderBy(d => d.Id).ToListAsync(TestContext.Current.CancellationToken);
    }

    public async Task<List<WebhookDelivery>> DeliveriesAsync()
    {
        await using var db = _factory.CreateDbContext();
        return await db.WebhookDeliveries.AsNoTracking().Where(d => d.ApplicationId == Application.Id).OrderBy(d => d.Id).ToListAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>A parameter that distinguishes "not given" from an explicit null.</summary>
internal readonly record struct Optional<T>(T Value)
{
    public bool HasValue { get; } = true;

    public static implicit operator Optional<T>(T value) => new(value);
}
