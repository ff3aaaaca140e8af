namespace Slipway.Cli.Output;

/// <summary>Columns aligned with spaces, like <c>docker ps</c>: readable in a terminal and splittable by scripts.</summary>
internal static class Table
{
    public static void Print(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var all = rows.Select(r => r.Select(c => Clean(c)).ToArray()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        Console.Out.WriteLine(Line(headers.ToArray(), widths));
        foreach (var row in all)
        {
            Console.Out.WriteLine(Line(row, widths));
        }
    }

    /// <summary><c>key: value</c> lines for one object.</summary>
    public static void PrintFields(IEnumerable<(string Name, string? Value)> fields)
    {
        var list = fields.ToList();
        var width = list.Max(f => f.Name.Length) + 1;
        foreach (var (name, value) in list)
        {
            Console.Out.WriteLine($"{(name + ":").PadRight(width)} {Clean(value)}");
        }
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

    private static string Clean(string? value) =>
        value is null ? "-" : value.ReplaceLineEndings(" ");
}
