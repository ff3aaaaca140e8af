namespace Slipway.Core.Webhooks;

/// <summary>The providers' names, as recorded on deliveries and in a preview deployment's <c>git_type</c>.</summary>
public static class GitProviders
{
    public const string GitHub = "github";
    public const string GitLab = "gitlab";
    public const string Gitea = "gitea";
    public const string Bitbucket = "bitbucket";
}
