using Microsoft.AspNetCore.DataProtection;
using Slipway.Core.Secrets;

namespace Slipway.Infrastructure.Secrets;

/// <summary>Secrets at rest through ASP.NET Data Protection, with keys kept in the data directory.</summary>
internal sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Slipway.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedValue) => _protector.Unprotect(protectedValue);
}
