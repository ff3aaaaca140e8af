namespace Slipway.Core.Proxy;

/// <summary>
/// Where things live inside the proxy container. One volume is mounted at <see cref="DataDir"/>: Caddy's data
/// (certificates, ACME accounts) and, through <c>XDG_CONFIG_HOME</c>, its autosaved config, so routes and
/// certificates survive a restart or a reboot even while Slipway is down.
/// </summary>
public static class CaddyPaths
{
    public const string DataDir = "/data";
    public const string ConfigHome = "/data/config";

    /// <summary>Caddy saves every config it loads here and <c>caddy run --resume</c> starts from it.</summary>
    public const string Autosave = "/data/config/caddy/autosave.json";

    public const string AcmeCaRoot = "/data/slipway/acme-ca-root.pem";
}
