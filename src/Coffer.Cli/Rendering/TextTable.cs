using System.Text;

namespace Coffer.Cli.Rendering;

/// <summary>
/// A plain text table in restic's shape: header, a dash line as wide as the table, rows, a dash line,
/// footer lines. Cells are padded to the widest cell of their column, separated by two spaces, and
/// trailing spaces are trimmed. A cell may hold several lines.
/// </summary>
internal sealed class TextTable
{
    private const string Separator = "  ";
    private readonly List<string> _headers = [];
    private readonly List<string[]> _rows = [];
    private readonly List<string> _footer = [];

    /// <summary>Print an empty line between rows (restic does so when some row spans several lines).</summary>
    public bool BlankLineBetweenRows { get; set; }

    public TextTable AddColumn(string header)
    {
        _headers.Add(header);
        return this;
    }

    public void AddRow(params string[] cells) => _rows.Add(cells);

    public void AddFooter(string line) => _footer.Add(line);

    public void Write(TextWriter writer)
    {
        var widths = new int[_headers.Count];
        foreach (var row in _rows.Prepend([.. _headers]))
        {
            for (var i = 0; i < widths.Length && i < row.Length; i++)
            {
                foreach (var line in row[i].Split('\n'))
                {
                    widths[i] = Math.Max(widths[i], DisplayWidth(line));
                }
            }
        }
        var total = widths.Sum() + (widths.Length - 1) * Separator.Length;
        var dashes = new string('-', total);
        WriteLine(writer, [.. _headers], widths);
        writer.WriteLine(dashes);
        for (var r = 0; r < _rows.Count; r++)
        {
            if (r > 0 && BlankLineBetweenRows)
            {
                writer.WriteLine();
            }
            WriteLine(writer, _rows[r], widths);
        }
        writer.WriteLine(dashes);
        foreach (var line in _footer)
        {
            writer.WriteLine(line);
        }
    }

    private static void WriteLine(TextWriter writer, string[] cells, int[] widths)
    {
        var split = cells.Select(c => c.Split('\n')).ToArray();
        var lines = split.Max(s => s.Length);
        for (var l = 0; l < lines; l++)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < widths.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append(Separator);
                }
                var v = i < split.Length && l < split[i].Length ? split[i][l] : "";
                sb.Append(v).Append(' ', Math.Max(0, widths[i] - DisplayWidth(v)));
            }
            writer.WriteLine(sb.ToString().TrimEnd(' '));
        }
    }

    private static int DisplayWidth(string s)
    {
        var width = 0;
        foreach (var rune in s.EnumerateRunes())
        {
            width += rune.Value >= 0x1100 && IsWide(rune.Value) ? 2 : 1;
        }
        return width;
    }

    private static bool IsWide(int cp) =>
        cp is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x1F300 and <= 0x1F64F)
            or (>= 0x1F900 and <= 0x1F9FF) or (>= 0x20000 and <= 0x3FFFD);
}
