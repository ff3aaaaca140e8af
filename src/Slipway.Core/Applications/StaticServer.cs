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
    public static string Dockerfile(string server, string baseImage, int port, IReadOnlyDictionary<string, string>? labels = null)
    {
        var label = labels is { Count: > 0 }
            ? "LABEL " + string.Join(' ', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{Escape(l.Value)}\"")) + "\n"
            : string.Empty;
        return server switch
        {
            BusyboxHttpd => $"""
                FROM {baseImage}
                EXPOSE {port}
                CMD ["httpd", "-f", "-p", "{port}", "-h", "/srv/www"]
                {label}COPY . /srv/www

                """,
            _ => $$"""
                FROM {{baseImage}}
                RUN printf 'server {\n  listen {{port}};\n  root /usr/share/nginx/html;\n  index index.html;\n  location / { try_files $uri $uri/ =404; }\n}\n' > /etc/nginx/conf.d/default.conf
                EXPOSE {{port}}
                {{label}}COPY . /usr/share/nginx/html

                """,
        };
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
