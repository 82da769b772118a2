using System.CommandLine;
using Coffer.Core.Interop;
using Coffer.Core.Primitives;
using Coffer.Core.Restorer;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer dump [flags] SNAPSHOT FILE</c>: a file's content, or a directory (<c>/</c> for everything) as a
/// tar or zip archive, to stdout or to <c>--target</c>. An archive is not written to a terminal.
/// </summary>
internal static class DumpCommand
{
    public static Command Create(CommandEnv env)
    {
        var filter = new SnapshotOptions();
        var snapshot = new Argument<string>("snapshotID") { Description = "snapshot id, prefix or 'latest'" };
        var file = new Argument<string>("file") { Description = "path of a file or directory inside the snapshot ('/' for all of it)" };
        var archive = new Option<string>("--archive", "-a") { Description = "set archive format as \"tar\" or \"zip\"", DefaultValueFactory = _ => "tar" };
        var target = new Option<string?>("--target", "-t") { Description = "write the output to target path instead of stdout" };
        var command = new Command("dump", "Print a backed-up file to stdout, or a directory as a tar or zip archive") { snapshot, file, archive, target };
        filter.AddTo(command);
        env.BindWithRepository(command, LockMode.Shared, async (result, settings, session, ct) =>
        {
            var format = result.GetValue(archive) switch
            {
                "tar" => DumpArchiveFormat.Tar,
                "zip" => DumpArchiveFormat.Zip,
                var other => throw new CofferException($"unknown archive format \"{other}\"", "use --archive tar or --archive zip"),
            };
            var repo = session.Repository;
            var snap = await filter.Filter(result).FindAsync(repo, result.GetValue(snapshot)!, ct).ConfigureAwait(false);
            await repo.LoadIndexAsync(ct).ConfigureAwait(false);
            var dumper = new Dumper(repo);
            var selection = await dumper.SelectAsync(snap.Tree, result.GetValue(file)!, ct).ConfigureAwait(false);
            var targetPath = result.GetValue(target);
            if (string.IsNullOrEmpty(targetPath))
            {
                if (selection.IsDirectory && env.Console.IsOutputTerminal)
                {
                    throw new CofferException("stdout is the terminal, please redirect output", "redirect the output to a file or a pipe, or use --target FILE");
                }
                await env.Console.Out.FlushAsync(ct).ConfigureAwait(false);
                var stdout = new BufferedStream(env.Console.OpenBinaryOut(), 1 << 16);
                // Not disposed: that would close the process's standard output.
                try
                {
                    await WriteAsync(dumper, selection, format, stdout, ct).ConfigureAwait(false);
                }
                finally
                {
                    await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
                return ExitCodes.Ok;
            }
            await WriteToFileAsync(dumper, selection, format, Path.GetFullPath(targetPath), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Task WriteAsync(Dumper dumper, DumpSelection selection, DumpArchiveFormat format, Stream output, CancellationToken ct) =>
        selection.IsDirectory ? dumper.WriteArchiveAsync(selection, format, output, ct) : dumper.WriteFileAsync(selection, output, ct);

    /// <summary>
    /// Writes into a temporary file beside <paramref name="target"/> and renames it into place when complete, so
    /// that a failed dump leaves no partial file (and an existing file untouched). A target that exists and is
    /// not a regular file (a device, a pipe) is written directly.
    /// </summary>
    private static async Task WriteToFileAsync(Dumper dumper, DumpSelection selection, DumpArchiveFormat format, string target, CancellationToken ct)
    {
        var direct = PosixFileSystem.TryLStat(target, out var status, out _) && !status.IsRegular;
        if (direct && status.IsDirectory)
        {
            throw new CofferException($"--target {target} is a directory", "name a file to write to");
        }
        var temporary = direct ? target : Path.Combine(Path.GetDirectoryName(target) ?? ".", "." + Path.GetFileName(target) + ".coffer-" + Guid.NewGuid().ToString("N")[..8]);
        var done = false;
        try
        {
            var stream = new FileStream(temporary, direct ? FileMode.Open : FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await WriteAsync(dumper, selection, format, stream, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            if (!direct)
            {
                File.Move(temporary, target, overwrite: true);
            }
            done = true;
        }
        finally
        {
            if (!done && !direct)
            {
                try
                {
                    File.Delete(temporary);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }
}
