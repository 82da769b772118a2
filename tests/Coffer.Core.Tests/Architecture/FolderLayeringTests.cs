using System.Text.RegularExpressions;
using Coffer.Testing;

namespace Coffer.Core.Tests.Architecture;

/// <summary>Inside Coffer.Core a folder may use only the folders above it (design §1).</summary>
public sealed partial class FolderLayeringTests
{
    private static readonly string[] Order =
    [
        "Primitives", "Interop", "Crypto", "Chunking", "Compression", "Packing", "Index", "Model",
        "Repository", "Archiver", "Restorer", "Checker", "Retention", "Maintenance",
    ];

    [GeneratedRegex(@"^using\s+(?:static\s+)?Coffer\.Core\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [Fact]
    public void NoFolderUsesAFolderBelowIt()
    {
        var core = Path.Combine(Fixtures.RepositoryRoot, "src", "Coffer.Core");
        var violations = new List<string>();
        foreach (var file in Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(core, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal))
            {
                continue;
            }
            var folder = relative.Split(Path.DirectorySeparatorChar)[0];
            var own = Array.IndexOf(Order, folder);
            Assert.True(own >= 0, $"{relative}: folder '{folder}' is not in the layering order");
            foreach (Match m in UsingLine().Matches(File.ReadAllText(file)))
            {
                var used = Array.IndexOf(Order, m.Groups[1].Value);
                if (used > own)
                {
                    violations.Add($"{relative} uses Coffer.Core.{m.Groups[1].Value}");
                }
            }
        }
        Assert.Empty(violations);
    }

    [Fact]
    public void BackendsReferenceOnlyStorage()
    {
        foreach (var project in Directory.GetDirectories(Path.Combine(Fixtures.RepositoryRoot, "src"), "Coffer.Backends.*"))
        {
            var csproj = File.ReadAllText(Path.Combine(project, Path.GetFileName(project) + ".csproj"));
            foreach (Match m in Regex.Matches(csproj, "ProjectReference Include=\"([^\"]+)\""))
            {
                Assert.EndsWith("Coffer.Storage.csproj", m.Groups[1].Value, StringComparison.Ordinal);
            }
        }
    }
}
