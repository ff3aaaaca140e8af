namespace Slipway.Core.Engine;

/// <summary>An expected failure of a deployment (bad input, unhealthy container, missing branch): logged as one clear line.</summary>
public sealed class DeploymentFailedException(string message, Exception? inner = null) : Exception(message, inner);
