using System.Text;
using Slipway.Infrastructure.Execution;

namespace Slipway.IntegrationTests.Execution;

public sealed class LineDecoderTests
{
    [Theory]
    [InlineData("a\nb\n", new[] { "a", "b" })]
    [InlineData("a\r\nb", new[] { "a", "b" })]
    [InlineData("\n\n", new[] { "", "" })]
    [InlineData("", new string[0])]
    [InlineData("only", new[] { "only" })]
    [InlineData("a\rb\r\r\n", new[] { "a\rb\r" })]
    public void Decode_SplitsOnNewlineAndDropsOneTrailingCarriageReturn(string input, string[] expected)
    {
        Assert.Equal(expected, DecodeInChunks(Encoding.UTF8.GetBytes(input), chunk: 1000));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Decode_MultibyteCharactersAndCrLfSplitAcrossReads_AreReassembled(int chunk)
    {
        var text = "héllo 🚀 wörld\r\nnext 日本\r\n";

        Assert.Equal(["héllo 🚀 wörld", "next 日本"], DecodeInChunks(Encoding.UTF8.GetBytes(text), chunk));
    }

    [Fact]
    public void Decode_InvalidUtf8_BecomesReplacementCharacters()
    {
        Assert.Equal(["\uFFFDok\uFFFD"], DecodeInChunks([0xff, (byte)'o', (byte)'k', 0xe2, 0x82, (byte)'\n'], chunk: 2));
    }

    [Fact]
    public void Decode_EndlessLine_IsCutAtTheLimitWithoutSplittingASurrogatePair()
    {
        var text = new string('x', LineDecoder.MaxLineLength - 1) + "🚀" + "tail\n";

        var lines = DecodeInChunks(Encoding.UTF8.GetBytes(text), chunk: 64 * 1024);

        Assert.Equal(2, lines.Count);
        Assert.Equal(LineDecoder.MaxLineLength - 1, lines[0].Length);
        Assert.Equal("🚀tail", lines[1]);
    }

    private static List<string> DecodeInChunks(byte[] bytes, int chunk)
    {
        var decoder = new LineDecoder();
        var lines = new List<string>();
        foreach (var piece in bytes.Chunk(chunk))
        {
            decoder.Decode(piece, lines);
        }

        decoder.Flush(lines);
        return lines;
    }
}
