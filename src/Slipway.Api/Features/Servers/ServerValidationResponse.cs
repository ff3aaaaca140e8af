namespace Slipway.Api.Features.Servers;

/// <summary>The answer of <c>POST /servers/{uuid}/validate</c>: Coolify's message plus what the check found.</summary>
public sealed record ServerValidationResponse(string Message, bool IsReachable, bool IsUsable, string? ValidationLogs);
