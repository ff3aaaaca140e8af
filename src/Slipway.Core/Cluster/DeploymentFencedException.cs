namespace Slipway.Core.Cluster;

/// <summary>This instance lost the deployment to another (its lease expired and the work was taken over): stop, touch nothing.</summary>
public sealed class DeploymentFencedException(string message) : Exception(message);
