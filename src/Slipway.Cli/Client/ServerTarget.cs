using Slipway.Cli.Config;

namespace Slipway.Cli.Client;

/// <summary>
/// The server a client command talks to: the current context, with <c>SLIPWAY_URL</c> and <c>SLIPWAY_TOKEN</c>
/// overriding it (each on its own), so CI needs no config file.
/// </summary>
internal sealed record ServerTarget(Uri ApiBase, string Token)
{
    public const string UrlVariable = "SLIPWAY_URL";
    public const string TokenVariable = "SLIPWAY_TOKEN";

    public static ServerTarget Resolve(ContextStore store)
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        var token = Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(token))
        {
            var config = store.Load();
            if (config.CurrentContext is { } name && config.Contexts.TryGetValue(name, out var context))
            {
                url = string.IsNullOrEmpty(url) ? context.Url : url;
                token = string.IsNullOrEmpty(token) ? context.Token : token;
            }
        }

        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(token))
        {
            throw new CliException(
                $"No server configured: run 'slipway context add NAME --url URL --token TOKEN', or set {UrlVariable} and {TokenVariable}.",
                ExitCodes.Usage);
        }

        return new ServerTarget(ApiBaseOf(url) ?? throw new CliException($"{url} is not an http(s) URL.", ExitCodes.Usage), token.Trim());
    }

    /// <summary><c>http://host:8000</c> (or the same with <c>/api/v1</c>) as the API base <c>http://host:8000/api/v1/</c>; null if not http(s).</summary>
    public static Uri? ApiBaseOf(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return null;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api/v1", StringComparison.Ordinal))
        {
            path = path[..^"/api/v1".Length];
        }

        return new UriBuilder(uri) { Path = $"{path}/api/v1/" }.Uri;
    }
}
