using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Applications;
using Slipway.Core.Secrets;
using Slipway.Core.Webhooks;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Webhooks;

/// <summary>The applications a delivery may be for (same repository, any team), and each one's secret for its provider.</summary>
internal static class WebhookCandidates
{
    public static async Task<IReadOnlyList<Application>> FindAsync(SlipwayDbContext db, IReadOnlyList<string> repositoryUrls, CancellationToken cancellationToken)
    {
        var identities = repositoryUrls.Select(RepositoryIdentity.Normalize).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<long, Application>();
        foreach (var name in identities.Select(RepositoryIdentity.Name).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            // The repository's name narrows the rows to read; the decision is the exact identity comparison below.
#pragma warning disable CA1862 // ToLower().Contains translates to SQL on both providers; the StringComparison overload does not.
            var rows = await db.Applications.AsNoTracking()
                .Where(a => a.GitRepository != null && a.GitRepository.ToLower().Contains(name))
                .ToListAsync(cancellationToken);
#pragma warning restore CA1862
            foreach (var application in rows)
            {
                if (RepositoryIdentity.Normalize(application.GitRepository) is { } identity && identities.Contains(identity))
                {
                    found[application.Id] = application;
                }
            }
        }

        return found.Values.OrderBy(a => a.Id).ToList();
    }

    /// <summary>The application's secret for <paramref name="provider"/>, or null (never set, or no longer decryptable).</summary>
    public static string? Secret(Application application, string provider, ISecretProtector protector)
    {
        var stored = provider switch
        {
            GitProviders.GitHub => application.ProtectedWebhookSecretGithub,
            GitProviders.GitLab => application.ProtectedWebhookSecretGitlab,
            GitProviders.Gitea => application.ProtectedWebhookSecretGitea,
            GitProviders.Bitbucket => application.ProtectedWebhookSecretBitbucket,
            _ => null,
        };
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        try
        {
            return protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            // Encrypted with keys that are gone: it can verify nothing, like an empty secret.
            return null;
        }
    }

    /// <summary>The application field a provider's secret is set through, for messages.</summary>
    public static string SecretField(string provider) => $"manual_webhook_secret_{provider}";
}
