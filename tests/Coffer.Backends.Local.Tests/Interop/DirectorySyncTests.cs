using Coffer.Backends.Local.Interop;
using Xunit;

namespace Coffer.Backends.Local.Tests.Interop;

/// <summary>The directory fsync call through libc.</summary>
public sealed class DirectorySyncTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    [Fact]
    public void Syncs_an_existing_directory()
    {
        DirectorySync.Flush(_folder.Path);
    }

    [Fact]
    public void A_missing_directory_fails_with_its_errno()
    {
        var error = Assert.ThrowsAny<IOException>(() => DirectorySync.Flush(Path.Combine(_folder.Path, "missing")));
        Assert.Equal(2, error.HResult); // ENOENT
    }

    [Fact]
    public void A_file_is_not_a_directory()
    {
        var file = Path.Combine(_folder.Path, "file");
        File.WriteAllBytes(file, [1]);
        var error = Assert.ThrowsAny<IOException>(() => DirectorySync.Flush(file));
        Assert.Equal(20, error.HResult); // ENOTDIR: O_DIRECTORY has the right value for this architecture
    }

    public void Dispose() => _folder.Dispose();
}
