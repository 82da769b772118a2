using System.Globalization;
using System.Text;
using System.Text.Json;
using Coffer.Core.Maintenance;

namespace Coffer.Cli.Rendering;

/// <summary>Prints a prune's steps and figures as restic does; <c>--json</c> gets the figures as one object.</summary>
internal sealed class PruneView(TextWriter output, TextWriter error, bool quiet, bool verbose) : IPruneReport
{
    public void Step(string message)
    {
        if (!quiet)
        {
            output.WriteLine(message);
        }
    }

    public void Detail(string message)
    {
        if (verbose && !quiet)
        {
            output.WriteLine(message);
        }
    }

    public void Warning(string message)
    {
        lock (error)
        {
            output.Flush();
            error.WriteLine(message);
        }
    }

    public void WriteStats(PruneStats s)
    {
        if (verbose)
        {
            output.WriteLine();
            output.WriteLine($"used:         {s.BlobsUsed,10} blobs / {ByteSize.Format(s.SizeUsed)}");
            if (s.BlobsDuplicate > 0)
            {
                output.WriteLine($"duplicates:   {s.BlobsDuplicate,10} blobs / {ByteSize.Format(s.SizeDuplicate)}");
            }
            output.WriteLine($"unused:       {s.BlobsUnused,10} blobs / {ByteSize.Format(s.SizeUnused)}");
            if (s.SizeUnreferenced > 0)
            {
                output.WriteLine($"unreferenced:                    {ByteSize.Format(s.SizeUnreferenced)}");
            }
            output.WriteLine($"total:        {s.BlobsTotal,10} blobs / {ByteSize.Format(s.SizeTotal)}");
            output.WriteLine($"unused size: {Percent(s.SizeDuplicate + s.SizeUnused, s.SizeTotal)} of total size");
        }
        output.WriteLine();
        output.WriteLine($"to repack:    {s.BlobsRepack,10} blobs / {ByteSize.Format(s.SizeRepack)}");
        output.WriteLine($"this removes: {s.BlobsRepackRemove,10} blobs / {ByteSize.Format(s.SizeRepackRemove)}");
        output.WriteLine($"to delete:    {s.BlobsRemove,10} blobs / {ByteSize.Format(s.SizeRemove + s.SizeUnreferenced)}");
        output.WriteLine($"total prune:  {s.BlobsRemoveTotal,10} blobs / {ByteSize.Format(s.SizeRemoveTotal)}");
        if (s.SizeUncompressed > 0)
        {
            output.WriteLine($"not yet compressed:              {ByteSize.Format(s.SizeUncompressed)}");
        }
        output.WriteLine($"remaining:    {s.BlobsRemaining,10} blobs / {ByteSize.Format(s.SizeRemaining)}");
        output.WriteLine($"unused size after prune: {ByteSize.Format(s.SizeRemainingUnused)} ({Percent(s.SizeRemainingUnused, s.SizeRemaining)} of remaining size)");
        output.WriteLine();
        if (verbose)
        {
            output.WriteLine($"totally used packs: {s.PacksUsed,10}");
            output.WriteLine($"partly used packs:  {s.PacksPartlyUsed,10}");
            output.WriteLine($"unused packs:       {s.PacksUnused,10}");
            output.WriteLine();
            output.WriteLine($"to keep:      {s.PacksKeep,10} packs");
            output.WriteLine($"to repack:    {s.PacksRepack,10} packs");
            output.WriteLine($"to delete:    {s.PacksRemove,10} packs");
            if (s.PacksUnreferenced > 0)
            {
                output.WriteLine($"to delete:    {s.PacksUnreferenced,10} unreferenced packs");
            }
            output.WriteLine();
        }
    }

    /// <summary>The figures in the shape newer restic versions print with <c>--json</c>.</summary>
    public static string Json(PruneStats s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("message_type", "summary");
            w.WriteStartObject("blobs");
            w.WriteNumber("used", s.BlobsUsed);
            w.WriteNumber("duplicate", s.BlobsDuplicate);
            w.WriteNumber("unused", s.BlobsUnused);
            w.WriteNumber("total", s.BlobsTotal);
            w.WriteNumber("repack", s.BlobsRepack);
            w.WriteNumber("repack_remove", s.BlobsRepackRemove);
            w.WriteNumber("remove", s.BlobsRemove);
            w.WriteNumber("remove_total", s.BlobsRemoveTotal);
            w.WriteNumber("remaining", s.BlobsRemaining);
            w.WriteEndObject();
            w.WriteStartObject("bytes");
            w.WriteNumber("used", s.SizeUsed);
            w.WriteNumber("duplicate", s.SizeDuplicate);
            w.WriteNumber("unused", s.SizeUnused);
            w.WriteNumber("unreferenced", s.SizeUnreferenced);
            w.WriteNumber("uncompressed", s.SizeUncompressed);
            w.WriteNumber("total", s.SizeTotal);
            w.WriteNumber("repack", s.SizeRepack);
            w.WriteNumber("repack_remove", s.SizeRepackRemove);
            w.WriteNumber("remove", s.SizeRemove);
            w.WriteNumber("remove_total", s.SizeRemoveTotal);
            w.WriteNumber("remaining", s.SizeRemaining);
            w.WriteNumber("remaining_unused", s.SizeRemainingUnused);
            w.WriteEndObject();
            w.WriteStartObject("packfiles");
            w.WriteNumber("used", s.PacksUsed);
            w.WriteNumber("unused", s.PacksUnused);
            w.WriteNumber("partly_used", s.PacksPartlyUsed);
            w.WriteNumber("unreferenced", s.PacksUnreferenced);
            w.WriteNumber("total", s.PacksTotal);
            w.WriteNumber("keep", s.PacksKeep);
            w.WriteNumber("repack", s.PacksRepack);
            w.WriteNumber("remove", s.PacksRemove);
            w.WriteNumber("remove_total", s.PacksRemoveTotal);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Percent(long part, long total) =>
        string.Create(CultureInfo.InvariantCulture, $"{(total == 0 ? 0 : 100.0 * part / total):0.000}%");
}
