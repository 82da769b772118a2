using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Coffer.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Restorer;

/// <summary>
/// Open handles of the restore's directories, each opened from its parent's handle with
/// <c>O_DIRECTORY|O_NOFOLLOW</c>, so no symlink, whether planted in the target or restored from the snapshot,
/// is ever followed. Every change in the target goes through these handles. At most
/// <see cref="DefaultMaxOpen"/> handles are cached; when full, the less recently used half is closed. A handle closed
/// while another thread still uses it stays valid until that use ends (SafeHandle reference counting).
/// Thread-safe.
/// </summary>
internal sealed class TargetTree : IDisposable
{
    /// <summary>
    /// Handles kept open: a quarter of the descriptors the process may have, at most 1024, at least 64. Files are
    /// written in pack order, which follows the order of the backup, so the directories in use at a time are few,
    /// but each miss opens the directory again, and its parents when they were dropped too.
    /// </summary>
    private static readonly int DefaultMaxOpen = (int)Math.Clamp(PosixProcess.OpenFileLimit() / 4, 64, 1024);

    private readonly List<PlannedDirectory> _directories;
    private readonly Dictionary<int, Cached> _open = [];
    private readonly Lock _lock = new();
    private readonly int _maxOpen;
    private long _clock;

    private TargetTree(SafeFileHandle? root, List<PlannedDirectory> directories, int maxOpen)
    {
        Root = root;
        _directories = directories;
        _maxOpen = maxOpen;
    }

    /// <summary>The target directory's handle; null in a dry run whose target does not exist.</summary>
    public SafeFileHandle? Root { get; private set; }

    /// <summary>
    /// Opens the target directory, creating it (and its parents, 0700) unless <paramref name="dryRun"/>. The
    /// target path itself may pass through symlinks: it is the user's own path. At most <paramref name="maxOpen"/>
    /// directory handles are kept (default <see cref="DefaultMaxOpen"/>).
    /// </summary>
    public static TargetTree Open(string target, List<PlannedDirectory> directories, bool dryRun, int? maxOpen = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOpen ?? DefaultMaxOpen, 2);
        var full = Path.GetFullPath(target);
        if (!dryRun && !Directory.Exists(full))
        {
            var missing = new Stack<string>();
            for (var dir = full; !string.IsNullOrEmpty(dir) && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
            {
                missing.Push(dir);
            }
            while (missing.TryPop(out var dir))
            {
                PosixFileSystem.MakeDirectory(dir, 0x1C0);
            }
        }
        SafeFileHandle? root = null;
        if (Directory.Exists(full))
        {
            root = PosixFileSystem.OpenDirectoryFollowing(PosixPath.FromString(full));
        }
        return new TargetTree(root, directories, maxOpen ?? DefaultMaxOpen);
    }

    /// <summary>
    /// A lease on the handle of directory <paramref name="index"/> (0 is the target root), opened through its
    /// parents; dispose it after use. Throws <see cref="PosixException"/> when it is not (or no longer) a real
    /// directory.
    /// </summary>
    public DirectoryLease Acquire(int index) => index == 0 ? AcquireRoot() : Acquire(_directories[index]);

    /// <summary>
    /// Like <see cref="Acquire(int)"/>, for <paramref name="dir"/> itself: its parents are followed by reference, so
    /// this may run while planning still adds directories to the list.
    /// </summary>
    public DirectoryLease Acquire(PlannedDirectory dir)
    {
        if (dir.ParentDirectory is null)
        {
            return AcquireRoot();
        }
        var index = dir.Index;
        lock (_lock)
        {
            ref var cached = ref CollectionsMarshal.GetValueRefOrNullRef(_open, index);
            if (!Unsafe.IsNullRef(ref cached))
            {
                cached.Used = ++_clock;
                return DirectoryLease.Of(cached.Handle);
            }
        }
        SafeFileHandle handle;
        using (var parent = Acquire(dir.ParentDirectory))
        {
            handle = PosixFileSystem.TryOpenDirectoryAt(parent.Handle, dir.Name, out var errno)
                ?? throw new PosixException("open", dir.DisplayPath, errno);
        }
        List<SafeFileHandle>? evicted = null;
        try
        {
            lock (_lock)
            {
                if (_open.TryGetValue(index, out var raced))
                {
                    handle.Dispose();
                    return DirectoryLease.Of(raced.Handle);
                }
                if (_open.Count >= _maxOpen)
                {
                    evicted = EvictOlderHalf();
                }
                _open[index] = new Cached(handle, ++_clock);
                return DirectoryLease.Of(handle);
            }
        }
        finally
        {
            // Closed outside the lock. Safe while others hold leases: a descriptor closes when its last lease ends.
            foreach (var h in evicted ?? [])
            {
                h.Dispose();
            }
        }
    }

    /// <summary>Takes the less recently used half out of the cache (under the lock) and returns it, to be closed.</summary>
    private List<SafeFileHandle> EvictOlderHalf()
    {
        var stamps = new long[_open.Count];
        var n = 0;
        foreach (var entry in _open.Values)
        {
            stamps[n++] = entry.Used;
        }
        Array.Sort(stamps);
        var newestDropped = stamps[(stamps.Length / 2) - 1];
        var evicted = new List<SafeFileHandle>(stamps.Length / 2);
        foreach (var (index, entry) in _open)
        {
            if (entry.Used <= newestDropped)
            {
                evicted.Add(entry.Handle);
                _open.Remove(index);
            }
        }
        return evicted;
    }

    /// <summary>A cached handle and when it was last used (a tick of <see cref="_clock"/>).</summary>
    private struct Cached(SafeFileHandle handle, long used)
    {
        public readonly SafeFileHandle Handle = handle;
        public long Used = used;
    }

    private DirectoryLease AcquireRoot() => DirectoryLease.Of(Root ?? throw new PosixException("open", "target", PosixErrors.NoEntry));

    /// <summary>Forgets a directory's cached handle (after it was replaced).</summary>
    public void Forget(int index)
    {
        lock (_lock)
        {
            if (_open.Remove(index, out var h))
            {
                h.Handle.Dispose();
            }
        }
    }

    /// <summary>
    /// Removes <paramref name="name"/> inside <paramref name="directory"/>: a non-directory is unlinked (a symlink
    /// itself, never its target); a directory is emptied depth-first through handles, then removed.
    /// </summary>
    public static void Remove(SafeFileHandle directory, ReadOnlySpan<byte> name)
    {
        if (!PosixFileSystem.TryLStatAt(directory, name, out var status, out var errno))
        {
            if (errno == PosixErrors.NoEntry)
            {
                return;
            }
            throw new PosixException("lstat", PosixPath.ToDisplayString(name), errno);
        }
        if (!status.IsDirectory)
        {
            PosixFileSystem.UnlinkAt(directory, name, isDirectory: false);
            return;
        }
        using (var inner = PosixFileSystem.TryOpenDirectoryAt(directory, name, out errno) ?? throw new PosixException("open", PosixPath.ToDisplayString(name), errno))
        {
            foreach (var child in PosixFileSystem.ListDirectory(inner))
            {
                Remove(inner, child);
            }
        }
        PosixFileSystem.UnlinkAt(directory, name, isDirectory: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var h in _open.Values)
            {
                h.Handle.Dispose();
            }
            _open.Clear();
        }
        Root?.Dispose();
        Root = null;
    }
}
