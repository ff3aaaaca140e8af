namespace Slipway.Core.Common;

/// <summary>
/// Timestamps are UTC with microsecond precision everywhere: that is what PostgreSQL stores and what Coolify's
/// wire format (<c>YYYY-MM-DDTHH:MM:SS.ffffffZ</c>) shows, so a value reads back exactly as it was written.
/// </summary>
public static class Timestamps
{
    public const string WireFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static DateTime Now(TimeProvider clock) => Truncate(clock.GetUtcNow().UtcDateTime);

    public static DateTime Truncate(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);
    }

    public static string ToWire(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString(WireFormat, System.Globalization.CultureInfo.InvariantCulture);
}
