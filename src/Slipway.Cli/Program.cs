namespace Slipway.Cli;

/// <summary>
/// The entry point of <c>slipway</c>. An explicit class (not top-level statements) so its name does not clash
/// with the API host's <c>Program</c>, which the API tests boot.
/// </summary>
internal static class EntryPoint
{
    public static Task<int> Main(string[] args) => SlipwayCli.RunAsync(args);
}
