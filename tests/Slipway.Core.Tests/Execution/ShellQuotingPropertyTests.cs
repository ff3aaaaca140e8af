using System.Text;

namespace Slipway.Core.Execution.Tests;

/// <summary>
/// Property-style checks of <see cref="ShellQuoting"/>: thousands of seeded random strings, drawn from every
/// character range a .NET string can carry to a shell (control characters, Latin-1, the rest of the BMP,
/// surrogate pairs; never NUL, never a lone surrogate), must come back from a real shell exactly as sent.
/// </summary>
public sealed class ShellQuotingPropertyTests
{
    private const int Seed = 20261128;
    private const int StringCount = 4_000;
    private const int BatchSize = 100;

    private const string ShellMetacharacters = "'\"\\$`;|&<>*?[]{}()~#!=% \t\n\r-";

    [Theory]
    [InlineData("/bin/sh")]
    [InlineData("/bin/bash")]
    public async Task Quote_RandomStrings_RoundTripExactlyThroughShell(string shell)
    {
        var random = new Random(Seed);
        var values = Enumerable.Range(0, StringCount).Select(_ => RandomString(random)).ToArray();

        foreach (var batch in values.Chunk(BatchSize))
        {
            var echoed = await ShellProcess.EchoArgumentsAsync(shell, batch, TestContext.Current.CancellationToken);

            Assert.Equal(batch.Length, echoed.Count);
            for (var i = 0; i < batch.Length; i++)
            {
                Assert.True(batch[i] == echoed[i], $"{shell} changed {Describe(batch[i])} into {Describe(echoed[i])}");
            }
        }
    }

    [Fact]
    public void RandomStrings_CoverEveryRange()
    {
        var random = new Random(Seed);
        var all = string.Concat(Enumerable.Range(0, StringCount).Select(_ => RandomString(random)));

        Assert.Contains(all, c => c is > '\0' and < ' ');
        Assert.Contains(all, c => c == '\u007f');
        Assert.Contains(all, c => c is >= '\u0080' and <= '\u00ff');
        Assert.Contains(all, c => c > '\u00ff' && !char.IsSurrogate(c));
        Assert.Contains(all, char.IsHighSurrogate);
        Assert.Contains(all, c => c == '\'');
        Assert.DoesNotContain('\0', all);
    }

    private static string RandomString(Random random)
    {
        var length = random.Next(0, 40);
        var builder = new StringBuilder(length * 2);
        for (var i = 0; i < length; i++)
        {
            switch (random.Next(6))
            {
                case 0:
                    builder.Append(ShellMetacharacters[random.Next(ShellMetacharacters.Length)]);
                    break;
                case 1:
                    var control = random.Next(1, 33);
                    builder.Append(control == 32 ? '\u007f' : (char)control);
                    break;
                case 2:
                    builder.Append((char)random.Next(0x20, 0x7f));
                    break;
                case 3:
                    builder.Append((char)random.Next(0x80, 0x100));
                    break;
                case 4:
                    builder.Append(RandomBmpCharacter(random));
                    break;
                default:
                    builder.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    break;
            }
        }

        return builder.ToString();
    }

    private static char RandomBmpCharacter(Random random)
    {
        while (true)
        {
            var c = (char)random.Next(0x100, 0x10000);
            if (!char.IsSurrogate(c))
            {
                return c;
            }
        }
    }

    private static string Describe(string value) =>
        "\"" + string.Concat(value.Select(c => c is >= ' ' and < '\u007f' ? c.ToString() : $"\\u{(int)c:x4}")) + "\"";
}
