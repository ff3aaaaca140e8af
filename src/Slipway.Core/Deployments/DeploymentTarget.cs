namespace Slipway.Core.Deployments;

/// <summary>Everything about an application and its server that a new deployment row snapshots.</summary>
public sealed record DeploymentTarget(
    long ApplicationId,
    string ApplicationUuid,
    string ApplicationName,
    string DefaultCommit,
    long TeamId,
    long ServerId,
    string ServerName,
    int ServerQueueLimit,
    string ProjectUuid,
    string EnvironmentUuid);
