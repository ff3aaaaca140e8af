using System.Text;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>Arguments that break naive quoting, plus seeded random strings from every character range (never NUL or a lone surrogate).</summary>
internal static class NastyStrings
{
    public static readonly string[] Tricky =
    [
        "", " ", "'", "''", "it's", "\\", "\\'", "\"", "$HOME", "$(id)", "`id`", ";|&<>*?[]{}~#!", "a\nb", "\n", "a\tb", "a\rb",
        "\r", "\u0001\u001b[31m", "\u007f", "héllo wörld", "🚀", "-n", "--", "-rf /", "%s%d", "x'; touch /tmp/slipway-pwned; '",
        "'\"'\"'", "$IFS", "a\\\nb", "trailing\r", "*", "~root",
    ];

    private const string ShellCharacters = "'\"\\$`;|&<>*?[]{}()~#! \t\n\r-";

    public static string[] Random(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => RandomString(random)).ToArray();
    }

    private static string RandomString(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, 30);
        for (var i = 0; i < length; i++)
        {
            switch (random.Next(5))
            {
                case 0:
                    builder.Append(ShellCharacters[random.Next(ShellCharacters.Length)]);
                    break;
                case 1:
                    builder.Append((char)random.Next(1, 0x20));
                    break;
                case 2:
                    builder.Append((char)random.Next(0x20, 0x100));
                    break;
                case 3:
                    var c = (char)random.Next(0x100, 0xd800);
                    builder.Append(c);
                    break;
                default:
                    builder.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// A command that prints each argument as hex, one per line: the exact bytes the program received, which line
    /// splitting (or a trailing <c>\r</c>) cannot blur.
    /// </summary>
    public static Slipway.Core.Execution.CommandSpec HexEcho(IEnumerable<string> arguments) =>
        new("sh", [.. new[] { "-c", "for a; do printf '%s' \"$a\" | od -An -tx1 -v | tr -d ' \\n'; echo; done", "sh" }.Concat(arguments).Select(a => new Slipway.Core.Execution.CommandArg(a))]);

    public static string Hex(string value) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(value));
}
