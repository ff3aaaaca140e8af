using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Slipway.Infrastructure.Secrets;

/// <summary>Encrypts each Data Protection key's secret part with the <see cref="MasterKey"/> before it is stored.</summary>
public sealed class MasterKeyXmlEncryptor(MasterKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var sealedData = key.Encrypt(Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)));
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with SLIPWAY_MASTER_KEY (AES-256-GCM). "),
            new XElement("value", Convert.ToBase64String(sealedData)));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}

/// <summary>The reverse of <see cref="MasterKeyXmlEncryptor"/>; created by Data Protection through its service provider.</summary>
public sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<MasterKey>();
        var value = encryptedElement.Element("value")?.Value ?? throw new FormatException("An encrypted Data Protection key has no value.");
        return XElement.Parse(Encoding.UTF8.GetString(key.Decrypt(Convert.FromBase64String(value))));
    }
}
