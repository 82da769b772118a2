using System.Text;

namespace Coffer.Cli.Rendering;

/// <summary>
/// Re-indents compact JSON the way Go's <c>json.MarshalIndent(v, "", "  ")</c> lays it out, without
/// re-escaping strings, so the text stays byte-faithful to what the repository stores.
/// </summary>
internal static class JsonIndenter
{
    public static string Indent(ReadOnlySpan<byte> compact)
    {
        var text = Encoding.UTF8.GetString(compact).TrimEnd('\n');
        var sb = new StringBuilder(text.Length * 2);
        var depth = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < text.Length)
                {
                    sb.Append(text[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    inString = true;
                    sb.Append(c);
                    break;
                case '{':
                case '[':
                    var close = c == '{' ? '}' : ']';
                    if (i + 1 < text.Length && text[i + 1] == close)
                    {
                        sb.Append(c).Append(close);
                        i++;
                        break;
                    }
                    depth++;
                    sb.Append(c).Append('\n').Append(' ', depth * 2);
                    break;
                case '}':
                case ']':
                    depth--;
                    sb.Append('\n').Append(' ', depth * 2).Append(c);
                    break;
                case ',':
                    sb.Append(",\n").Append(' ', depth * 2);
                    break;
                case ':':
                    sb.Append(": ");
                    break;
                case ' ' or '\t' or '\r' or '\n':
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }
}
