namespace Slipway.Core.Applications;

/// <summary>The web servers the <c>static</c> build pack can configure in its generated image.</summary>
public static class StaticServer
{
    public const string Nginx = "nginx";
    public const string BusyboxHttpd = "busybox-httpd";

    public static readonly IReadOnlyList<string> All = [Nginx, BusyboxHttpd];

    /// <summary>
    /// The generated Dockerfile: the repository's files served on <paramref name="port"/>. The base image is the
    /// application's <c>static_image</c>; it must contain the chosen server. Everything that does not depend on
    /// the files — the server's configuration, the port, the command and Slipway's <paramref name="labels"/> (one
    /// instruction) — comes before the <c>COPY</c>, so a new commit rebuilds only the layer of its files: Docker's
    /// legacy builder runs a container for every instruction it cannot take from its cache, and a <c>--label</c>
    /// flag is one more such instruction per label.
    /// </summary>
    /// <remarks>
    /// <paramref name="publishDirectory"/> (<c>publish_directory</c>, a checked path relative to the base directory) is what
    /// is served. <paramref name="spa"/> (<c>is_spa</c>): unknown paths answer <c>index.html</c> — nginx with 200 through
    /// <c>try_files</c>; busybox httpd only as its 404 page (status 404, body <c>index.html</c>), all it can do.
    /// </remarks>
    public static string Dockerfile(string server, string baseImage, int port, IReadOnlyDictionary<string, string>? labels = null, string? publishDirectory = null, bool spa = false)
    {
        var source = string.IsNullOrEmpty(publishDirectory) || publishDirectory == "/" ? "." : "." + publishDirectory.TrimEnd('/');
        var fallback = spa ? "/index.html" : "=404";
        var httpdConfig = spa ? "RUN mkdir -p /etc && echo 'E404:/srv/www/index.html' > /etc/httpd.conf\n" : string.Empty;
        var httpdOptions = spa ? ", \"-c\", \"/etc/httpd.conf\"" : string.Empty;
        var label = labels is { Count: > 0 }
            ? "LABEL " + string.Join(' ', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{Escape(l.Value)}\"")) + "\n"
            : string.Empty;
        return server switch
        {
            BusyboxHttpd => $"""
                FROM {baseImage}
                {httpdConfig}EXPOSE {port}
                CMD ["httpd", "-f", "-p", "{port}", "-h", "/srv/www"{httpdOptions}]
                {label}COPY {source} /srv/www

                """,
            _ => $$"""
                FROM {{baseImage}}
                RUN printf 'server {\n  listen {{port}};\n  root /usr/share/nginx/html;\n  index index.html;\n  location / { try_files $uri $uri/ {{fallback}}; }\n}\n' > /etc/nginx/conf.d/default.conf
                EXPOSE {{port}}
                {{label}}COPY {{source}} /usr/share/nginx/html

                """,
        };
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
