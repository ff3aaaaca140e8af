using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Servers;

namespace Slipway.Core.Engine;

/// <summary>Everything a run needs, loaded once when it starts: the row, its application and server, and decrypted secrets.</summary>
public sealed record DeploymentWork(
    Deployment Deployment,
    Application Application,
    Server Server,
    IReadOnlyList<ResolvedVariable> Variables,
    string? DeployKey);

/// <summary>An environment variable with its value decrypted; <see cref="IsSecret"/> values are redacted from logs.</summary>
public sealed record ResolvedVariable(string Key, string Value, bool IsBuildtime, bool IsRuntime, bool IsSecret);
