namespace Slipway.Api.Features.Servers;

/// <summary>
/// Body of <c>POST /servers/{uuid}/validate</c>. The contract's only field, <c>install</c> (install Docker and
/// prerequisites), is not supported, so the accepted body is empty.
/// </summary>
public sealed record ValidateServerRequest
{
    public static readonly IReadOnlySet<string> Unsupported = new HashSet<string>(StringComparer.Ordinal) { "install" };
}
