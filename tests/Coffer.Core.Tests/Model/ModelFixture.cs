namespace Coffer.Core.Tests.Model;

/// <summary>Locates the restic-made fixture repository and its expected outputs.</summary>
internal static class ModelFixture
{

    /// <summary>The fixture directory <c>../shared/fixtures/restic-v2</c> next to the solution.</summary>
    public static string Root => Coffer.Testing.Fixtures.ResticV2;

    /// <summary><c>expected/</c> (main repository).</summary>
    public static string Expected => Path.Combine(Root, "expected");

    /// <summary><c>expected-nocompress/</c>.</summary>
    public static string ExpectedNoCompress => Path.Combine(Root, "expected-nocompress");

    /// <summary>Both expected directories.</summary>
    public static IEnumerable<string> ExpectedDirectories => [Expected, ExpectedNoCompress];

    /// <summary>The zone the fixture was made in.</summary>
    public static TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    /// <summary>Every tree plaintext of both repositories.</summary>
    public static IEnumerable<string> TreeFiles =>
        ExpectedDirectories
            .Select(d => Path.Combine(d, "trees"))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*.json"))
            .Order(StringComparer.Ordinal);

    /// <summary>Splits a file into lines on <c>\n</c> as raw bytes, dropping the empty tail.</summary>
    public static List<byte[]> Lines(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                lines.Add(bytes[start..i]);
                start = i + 1;
            }
        }
        if (start < bytes.Length)
        {
            lines.Add(bytes[start..]);
        }
        return lines;
    }
}
