namespace Slipway.Core.Tokens;

/// <summary>Coolify's token abilities. They are independent of each other; <see cref="Root"/> passes every check.</summary>
[Flags]
public enum ApiAbility
{
    None = 0,
    Root = 1,
    Read = 2,
    Write = 4,
    Deploy = 8,
    ReadSensitive = 16,
    WriteSensitive = 32,
}
