namespace Slipway.Infrastructure.Data;

/// <summary>The database was migrated by a newer Slipway than this one: this instance must not run against it.</summary>
public sealed class DatabaseTooNewException(string message) : Exception(message);
