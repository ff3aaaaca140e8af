namespace Slipway.Cli;

/// <summary>
/// What <c>slipway</c> exits with. Waiting commands (<c>deploy --wait</c>, <c>logs --follow</c>) report the
/// deployment's outcome; every command reports usage and connection errors (and refusals by the server) as 4.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Cancelled = 2;
    public const int TimedOut = 3;
    public const int Usage = 4;
    public const int Interrupted = 130;
}
