using Slipway.Core.Servers;

namespace Slipway.Core.Execution;

/// <summary>Hands out the execution target of a server (one reused SSH connection per remote server).</summary>
public interface IExecutionTargets
{
    Task<IExecutionTarget> GetAsync(Server server, CancellationToken cancellationToken);
}
