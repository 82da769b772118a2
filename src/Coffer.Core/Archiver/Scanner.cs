using System.Text;
using Coffer.Core.Interop;

namespace Coffer.Core.Archiver;

/// <summary>
/// Counts what a backup will visit (files, directories, bytes) ahead of the archiver, so progress can
/// show a total and an ETA. Honours the same filter; reports every few thousand entries.
/// </summary>
internal static class Scanner
{
    public static void Run(TargetLayout layout, BackupOptions options, IBackupProgress progress, CancellationToken cancellationToken)
    {
        long files = 0, dirs = 0, bytes = 0;
        var stack = new Stack<byte[]>();
        void Push(TargetLayout.Entry entry)
        {
            if (entry.IsTarget)
            {
                stack.Push(entry.RealPath);
            }
            foreach (var child in entry.Children.Values)
            {
                Push(child);
            }
        }
        Push(layout.Root);
        var sinceReport = 0;
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = stack.Pop();
            if (!PosixFileSystem.TryLStat(path, out var st, out _))
            {
                continue;
            }
            var isDir = (st.Mode & 0xF000) == 0x4000;
            if (options.Filter.Excludes(Encoding.UTF8.GetString(path), isDir, (long)st.Size))
            {
                continue;
            }
            if (isDir)
            {
                dirs++;
                try
                {
                    foreach (var name in PosixFileSystem.ListDirectory(path))
                    {
                        stack.Push(PosixPath.Join(path, name));
                    }
                }
                catch (IOException)
                {
                    // reported by the archiver
                }
            }
            else if ((st.Mode & 0xF000) == 0x8000)
            {
                files++;
                bytes += (long)st.Size;
            }
            if (++sinceReport >= 2000)
            {
                sinceReport = 0;
                progress.Scanned(files, dirs, bytes, complete: false);
            }
        }
        progress.Scanned(files, dirs, bytes, complete: true);
    }
}
