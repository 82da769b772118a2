namespace Coffer.Testing;

/// <summary>Locates the shared restic-made fixture repositories (read in place, never written).</summary>
public static class Fixtures
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root (the folder holding Coffer.slnx).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The <c>restic-v2</c> fixture folder.</summary>
    public static string ResticV2 => Path.GetFullPath(Path.Combine(Root.Value, "..", "shared", "fixtures", "restic-v2"));

    /// <summary>The fixture password.</summary>
    public const string Password = "fixture-password";

    /// <summary>A path inside the fixture folder.</summary>
    public static string Path2(params string[] parts) => Path.Combine([ResticV2, .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Coffer.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Coffer.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Copies a fixture repository into a fresh writable temporary folder.</summary>
    public static string CopyRepository(string name = "repo")
    {
        var target = Path.Combine(Path.GetTempPath(), "coffer-fixture-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(Path2(name), target);
        return target;
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            var dest = Path.Combine(target, Path.GetFileName(file));
            File.Copy(file, dest);
            File.SetUnixFileMode(dest, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        foreach (var dir in Directory.GetDirectories(source))
        {
            CopyDirectory(dir, Path.Combine(target, Path.GetFileName(dir)));
        }
    }
}
