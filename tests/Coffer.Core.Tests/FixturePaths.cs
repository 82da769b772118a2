namespace Coffer.Core.Tests;

/// <summary>Locates the shared read-only fixtures: <c>&lt;repo root&gt;/../shared/fixtures/restic-v2</c>.</summary>
internal static class FixturePaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The <c>restic-v2</c> fixture directory.</summary>
    public static string ResticV2 => Root.Value;

    /// <summary>The main fixture repository.</summary>
    public static string Repo => Path.Combine(ResticV2, "repo");

    /// <summary>What restic reported about <see cref="Repo"/>.</summary>
    public static string Expected => Path.Combine(ResticV2, "expected");

    /// <summary>The fixture password as UTF-8 (without the file's trailing newline).</summary>
    public static byte[] Password => "fixture-password"u8.ToArray();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Coffer.slnx")))
            {
                var fixtures = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "restic-v2"));
                if (!Directory.Exists(fixtures))
                {
                    throw new DirectoryNotFoundException($"fixture directory not found: {fixtures}");
                }
                return fixtures;
            }
        }
        throw new DirectoryNotFoundException($"no directory containing Coffer.slnx above {AppContext.BaseDirectory}");
    }
}
