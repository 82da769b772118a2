namespace Coffer.Core.Tests;

/// <summary>Locates the shared read-only fixtures: <c>&lt;repo root&gt;/../shared/fixtures/restic-v2</c>.</summary>
internal static class FixturePaths
{
    /// <summary>The <c>restic-v2</c> fixture directory.</summary>
    public static string ResticV2 => Coffer.Testing.Fixtures.ResticV2;

    /// <summary>The main fixture repository.</summary>
    public static string Repo => Path.Combine(ResticV2, "repo");

    /// <summary>What restic reported about <see cref="Repo"/>.</summary>
    public static string Expected => Path.Combine(ResticV2, "expected");

    /// <summary>The fixture password as UTF-8 (without the file's trailing newline).</summary>
    public static byte[] Password => "fixture-password"u8.ToArray();
}
