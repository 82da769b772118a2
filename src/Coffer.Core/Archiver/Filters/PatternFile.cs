using System.Text;

namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// Reading pattern files (<c>--exclude-file</c>, <c>--iexclude-file</c>, <c>--include-file</c>, ...) with restic's
/// rules.
/// </summary>
/// <remarks>
/// The file is decoded as text (a UTF-8 or UTF-16 byte order mark is honoured; bytes that are not valid UTF-8
/// become U+FFFD, where restic would keep them). Each line is trimmed of leading and trailing white space; empty
/// lines and lines starting with <c>#</c> are skipped; in the rest, environment variables are expanded like Go's
/// <c>os.Expand</c>: <c>$NAME</c> (letters, digits, <c>_</c>), <c>${NAME}</c>, and the one-character names
/// <c>$*</c> <c>$#</c> <c>$@</c> <c>$!</c> <c>$?</c> <c>$-</c> <c>$0</c>..<c>$9</c>; an unset variable expands to
/// nothing; <c>$$</c> gives a literal <c>$</c>; a <c>$</c> followed by anything else, or at the end, stays;
/// <c>${}</c> and an unclosed <c>${</c> are dropped. A line that expands to nothing is kept as an empty pattern,
/// which <see cref="PatternList.Parse"/> then skips. All members are stateless and thread-safe.
/// </remarks>
public static class PatternFile
{
    /// <summary>Reads and expands the patterns in <paramref name="file"/>.</summary>
    /// <param name="file">The file to read.</param>
    /// <param name="lookupVariable">Environment lookup (null: unset); default: the process environment.</param>
    /// <exception cref="IOException">The file cannot be read; the message names it.</exception>
    public static IReadOnlyList<string> Read(string file, Func<string, string?>? lookupVariable = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        string content;
        try
        {
            content = File.ReadAllText(file, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"failed to read patterns from file \"{file}\": {e.Message}", e);
        }
        return ParseContent(content, lookupVariable ?? Environment.GetEnvironmentVariable);
    }

    /// <summary>Applies the line rules (see remarks) to the text of a pattern file.</summary>
    public static IReadOnlyList<string> ParseContent(string content, Func<string, string?> lookupVariable)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(lookupVariable);
        var patterns = new List<string>();
        foreach (var rawLine in content.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            patterns.Add(ExpandVariables(line, lookupVariable));
        }
        return patterns;
    }

    /// <summary>Expands <c>$NAME</c> and <c>${NAME}</c> in <paramref name="text"/> (rules in the remarks).</summary>
    public static string ExpandVariables(string text, Func<string, string?> lookupVariable)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lookupVariable);
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }
        var output = new StringBuilder(text.Length * 2);
        var copied = 0;
        for (var j = 0; j < text.Length; j++)
        {
            if (text[j] != '$' || j + 1 >= text.Length)
            {
                continue;
            }
            output.Append(text, copied, j - copied);
            var (name, width) = ReadName(text.AsSpan(j + 1));
            if (name.Length > 0)
            {
                output.Append(name == "$" ? "$" : lookupVariable(name));
            }
            else if (width == 0)
            {
                // Nothing that looks like a name follows: the dollar stays.
                output.Append('$');
            }
            j += width;
            copied = j + 1;
        }
        output.Append(text, copied, text.Length - copied);
        return output.ToString();
    }

    /// <summary>The variable name after a <c>$</c> and how many characters it spans (Go's shell-name rules).</summary>
    private static (string Name, int Width) ReadName(ReadOnlySpan<char> rest)
    {
        if (rest[0] == '{')
        {
            if (rest.Length > 2 && IsSpecial(rest[1]) && rest[2] == '}')
            {
                return (rest[1].ToString(), 3);
            }
            var close = rest.IndexOf('}');
            if (close < 0)
            {
                return ("", 1); // unclosed "${": dropped
            }
            return close == 1 ? ("", 2) : (rest[1..close].ToString(), close + 1);
        }
        if (IsSpecial(rest[0]))
        {
            return (rest[0].ToString(), 1);
        }
        var length = 0;
        while (length < rest.Length && (char.IsAsciiLetterOrDigit(rest[length]) || rest[length] == '_'))
        {
            length++;
        }
        return (rest[..length].ToString(), length);
    }

    private static bool IsSpecial(char c) => c is '*' or '#' or '$' or '@' or '!' or '?' or '-' or (>= '0' and <= '9');
}
