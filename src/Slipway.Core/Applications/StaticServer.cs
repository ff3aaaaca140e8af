namespace Slipway.Core.Applications;

/// <summary>The web servers the <c>static</c> build pack can configure in its generated image.</summary>
public static class StaticServer
{
    public const string Nginx = "nginx";
    public const string BusyboxHttpd = "busybox-httpd";

    public static readonly IReadOnlyList<string> All = [Nginx, BusyboxHttpd];

    /// <summary>
    /// The generated Dockerfile: the repository's files served on <paramref name="port"/>. The base image is the
    /// application's <c>static_image</c>; it must contain the chosen server.
    /// </summary>
    public static string Dockerfile(string server, string baseImage, int port) => server switch
    {
        BusyboxHttpd => $"""
            FROM {baseImage}
            COPY . /srv/www
            EXPOSE {port}
            CMD ["httpd", "-f", "-p", "{port}", "-h", "/srv/www"]
            """,
        _ => $$"""
            FROM {{baseImage}}
            COPY . /usr/share/nginx/html
            RUN printf 'server {\n  listen {{port}};\n  root /usr/share/nginx/html;\n  index index.html;\n  location / { try_files $uri $uri/ =404; }\n}\n' > /etc/nginx/conf.d/default.conf
            EXPOSE {{port}}
            """,
    };
}
