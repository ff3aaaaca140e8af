namespace Slipway.Core.Users;

/// <summary>What an e-mail address and a password must be; the CLI, the setup page and the team page all ask here.</summary>
public static class UserRules
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 256;

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public static string? CheckEmail(string? email)
    {
        var value = email?.Trim() ?? string.Empty;
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return value.Length is > 0 and <= 254 && at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1
            && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"')
            ? null
            : "Enter an e-mail address such as ada@example.com.";
    }

    public static string? CheckPassword(string? password) =>
        password is null || password.Length < MinPasswordLength
            ? $"The password must be at least {MinPasswordLength} characters."
            : password.Length > MaxPasswordLength || password.Any(char.IsControl)
                ? $"The password must be at most {MaxPasswordLength} characters, without control characters."
                : null;
}
