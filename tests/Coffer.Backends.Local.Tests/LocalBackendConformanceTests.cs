using Coffer.Storage;
using Coffer.Testing;
using Xunit;

namespace Coffer.Backends.Local.Tests;

/// <summary>The backend contract, checked against <see cref="LocalBackend"/> in a temporary folder.</summary>
public sealed class LocalBackendConformanceTests : BackendConformanceTests, IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private int _repositories;

    protected override Task<IBackend> OpenEmptyBackendAsync() =>
        Task.FromResult<IBackend>(LocalBackend.Open(Path.Combine(_folder.Path, $"repo{Interlocked.Increment(ref _repositories)}")));

    protected override bool TryInterruptSaves(IBackend backend, Func<FileHandle, CancellationToken, ValueTask> interruption)
    {
        ((LocalBackend)backend).AfterTemporaryWrite = async (handle, ct) =>
        {
            // The interruption must hit while a temporary file exists, or the test proves nothing.
            Assert.NotEmpty(FindLeftovers(backend));
            await interruption(handle, ct);
        };
        return true;
    }

    protected override bool TryPlantForeignFile(IBackend backend, FileType type, string name, byte[] data)
    {
        var local = (LocalBackend)backend;
        var folder = Path.Combine(local.RootPath, FileTypes.Folder(type));
        if (type == FileType.Pack)
        {
            folder = Path.Combine(folder, name[..2].ToLowerInvariant());
        }
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name), data);
        return true;
    }

    protected override IReadOnlyList<string> FindLeftovers(IBackend backend)
    {
        var root = ((LocalBackend)backend).RootPath;
        return Directory.Exists(root)
            ? [.. Directory.EnumerateFiles(root, "*-tmp-*", SearchOption.AllDirectories)]
            : [];
    }

    public void Dispose() => _folder.Dispose();
}
