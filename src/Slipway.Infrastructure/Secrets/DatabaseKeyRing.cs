using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Slipway.Core.Cluster;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Secrets;

/// <summary>
/// Prepares the key ring kept in the database (PostgreSQL, several instances) before anything is encrypted: under a
/// cluster-wide lock, imports once the keys an earlier single instance kept in its data directory (encrypting their
/// secret part with the master key), then creates a key if none is active — so every instance, starting alone or
/// together, encrypts and decrypts with keys all the others can read.
/// </summary>
public sealed partial class DatabaseKeyRing(
    IDbContextFactory<SlipwayDbContext> contexts,
    IClusterLocks locks,
    IKeyManager keys,
    MasterKey masterKey,
    SlipwayDataOptions options,
    TimeProvider clock,
    ILogger<DatabaseKeyRing> logger)
{
    private static readonly XNamespace DataProtectionNamespace = "http://schemas.asp.net/2015/03/dataProtection";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using (await locks.AcquireAsync(ClusterLockScope.Startup, 1, cancellationToken))
        {
            await ImportFileKeysAsync(cancellationToken);
            var now = clock.GetUtcNow();
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
            {
                keys.CreateNewKey(now, now.AddDays(90));
                LogCreated(logger);
            }
        }
    }

    private async Task ImportFileKeysAsync(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(options.FullDataDir, "keys");
        if (!Directory.Exists(directory))
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var known = (await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var imported = 0;
        foreach (var file in Directory.GetFiles(directory, "key-*.xml"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (known.Contains(name))
            {
                continue;
            }

            var key = XElement.Load(file);
            EncryptMarkedElements(key);
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = name, Xml = key.ToString(SaveOptions.DisableFormatting) });
            imported++;
        }

        if (imported > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogImported(logger, imported, directory);
        }
    }

    /// <summary>What Data Protection does to a new key before storing it, done to a key read from a file.</summary>
    private void EncryptMarkedElements(XElement key)
    {
        var marked = key.Descendants().Where(e => (bool?)e.Attribute(DataProtectionNamespace + "requiresEncryption") == true).ToList();
        foreach (var element in marked)
        {
            var encrypted = new MasterKeyXmlEncryptor(masterKey).Encrypt(element);
            element.ReplaceWith(new XElement(DataProtectionNamespace + "encryptedSecret",
                new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!),
                encrypted.EncryptedElement));
        }
    }

    [LoggerMessage(EventId = 3040, Level = LogLevel.Information, Message = "Created the first Data Protection key in the database.")]
    private static partial void LogCreated(ILogger logger);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Information, Message = "Imported {Count} Data Protection key(s) from {Directory} into the database.")]
    private static partial void LogImported(ILogger logger, int count, string directory);
}
