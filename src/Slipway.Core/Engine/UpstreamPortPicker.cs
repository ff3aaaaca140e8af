using System.Security.Cryptography;

namespace Slipway.Core.Engine;

/// <summary>
/// Chooses the server's 127.0.0.1 port a rolled-out container is published on, other than <c>taken</c> (the ports
/// of the containers serving now). A port another process holds makes <c>docker run</c> fail at once and the next
/// pick is tried; the integration tests script the picks to make one collide.
/// </summary>
public interface IUpstreamPortPicker
{
    int Pick(IReadOnlySet<int> taken);
}

/// <summary>A random port below Linux's ephemeral range (32768+), so outgoing connections never hold it first.</summary>
public sealed class RandomUpstreamPortPicker : IUpstreamPortPicker
{
    public const int First = 20000;
    public const int Last = 31999;

    public int Pick(IReadOnlySet<int> taken)
    {
        while (true)
        {
            var port = RandomNumberGenerator.GetInt32(First, Last + 1);
            if (!taken.Contains(port))
            {
                return port;
            }
        }
    }
}
