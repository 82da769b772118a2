using System.Text;
using Coffer.Core.Interop;
using Coffer.Core.Restorer;
using Coffer.Testing;

namespace Coffer.Core.Tests.Restorer;

public sealed class TargetTreeTests : IDisposable
{
    private readonly TempDirectory _temp = new("coffer-target-tree-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void HandlesStayRightAcrossEvictionsAndWhileLeased()
    {
        // 8 cached handles for 221 directories: most acquisitions evict, and some leases are held across many
        // evictions; every handle must stay the directory it was opened for.
        var root = _temp.Combine("root");
        Directory.CreateDirectory(root);
        var dirs = new List<PlannedDirectory> { new(0, null, [], null) };
        var paths = new List<string> { root };
        for (var a = 0; a < 20; a++)
        {
            var parent = Add(dirs, paths, dirs[0], $"a{a}");
            for (var b = 0; b < 10; b++)
            {
                Add(dirs, paths, parent, $"b{b}");
            }
        }
        using var tree = TargetTree.Open(root, dirs, dryRun: false, maxOpen: 8);
        var held = new List<(DirectoryLease Lease, int Index)>();
        var random = new Random(3);
        for (var i = 0; i < 2000; i++)
        {
            var index = random.Next(dirs.Count);
            var lease = tree.Acquire(index);
            Assert.Equal(PosixFileSystem.LStat(paths[index]).Inode, PosixFileSystem.FStat(lease.Handle).Inode);
            if (i % 50 == 0)
            {
                held.Add((lease, index));
            }
            else
            {
                lease.Dispose();
            }
        }
        foreach (var (lease, index) in held)
        {
            Assert.Equal(PosixFileSystem.LStat(paths[index]).Inode, PosixFileSystem.FStat(lease.Handle).Inode);
            lease.Dispose();
        }
    }

    private static PlannedDirectory Add(List<PlannedDirectory> dirs, List<string> paths, PlannedDirectory parent, string name)
    {
        var dir = new PlannedDirectory(dirs.Count, parent, Encoding.UTF8.GetBytes(name), null);
        var path = Path.Combine(paths[parent.Index], name);
        Directory.CreateDirectory(path);
        dirs.Add(dir);
        paths.Add(path);
        return dir;
    }
}
