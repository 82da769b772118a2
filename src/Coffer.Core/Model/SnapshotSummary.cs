using System.Text.Json;
using Coffer.Core.Primitives;

namespace Coffer.Core.Model;

/// <summary>
/// Statistics of the backup that made a snapshot (restic 0.17 and later; JSON <c>summary</c>). Every field is
/// always written, in this order. Members this version does not know are kept in <see cref="ExtraFields"/> and
/// written back after the known ones. A plain mutable data holder, not thread-safe.
/// </summary>
public sealed class SnapshotSummary
{
    /// <summary>JSON <c>backup_start</c>.</summary>
    public GoTime BackupStart { get; set; } = Node.ZeroTime;

    /// <summary>JSON <c>backup_end</c>.</summary>
    public GoTime BackupEnd { get; set; } = Node.ZeroTime;

    /// <summary>JSON <c>files_new</c>.</summary>
    public ulong FilesNew { get; set; }

    /// <summary>JSON <c>files_changed</c>.</summary>
    public ulong FilesChanged { get; set; }

    /// <summary>JSON <c>files_unmodified</c>.</summary>
    public ulong FilesUnmodified { get; set; }

    /// <summary>JSON <c>dirs_new</c>.</summary>
    public ulong DirsNew { get; set; }

    /// <summary>JSON <c>dirs_changed</c>.</summary>
    public ulong DirsChanged { get; set; }

    /// <summary>JSON <c>dirs_unmodified</c>.</summary>
    public ulong DirsUnmodified { get; set; }

    /// <summary>JSON <c>data_blobs</c>.</summary>
    public long DataBlobs { get; set; }

    /// <summary>JSON <c>tree_blobs</c>.</summary>
    public long TreeBlobs { get; set; }

    /// <summary>JSON <c>data_added</c>: bytes added before compression.</summary>
    public ulong DataAdded { get; set; }

    /// <summary>JSON <c>data_added_packed</c>: bytes added as stored.</summary>
    public ulong DataAddedPacked { get; set; }

    /// <summary>JSON <c>total_files_processed</c>.</summary>
    public ulong TotalFilesProcessed { get; set; }

    /// <summary>JSON <c>total_bytes_processed</c>.</summary>
    public ulong TotalBytesProcessed { get; set; }

    /// <summary>Members not listed above, in input order: name → raw JSON value, written back verbatim (compacted).</summary>
    public IList<KeyValuePair<string, byte[]>> ExtraFields { get; set; } = [];

    internal static SnapshotSummary Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        GoJsonReader.Expect(ref reader, JsonTokenType.StartObject, "summary");
        var s = new SnapshotSummary();
        while (true)
        {
            GoJsonReader.MoveToValue(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return s;
            }
            if (GoJsonReader.NameIs(ref reader, "backup_start"u8))
            {
                s.BackupStart = GoJsonReader.ReadTime(ref reader, "backup_start", s.BackupStart);
            }
            else if (GoJsonReader.NameIs(ref reader, "backup_end"u8))
            {
                s.BackupEnd = GoJsonReader.ReadTime(ref reader, "backup_end", s.BackupEnd);
            }
            else if (GoJsonReader.NameIs(ref reader, "files_new"u8))
            {
                s.FilesNew = GoJsonReader.ReadUInt64(ref reader, "files_new", s.FilesNew);
            }
            else if (GoJsonReader.NameIs(ref reader, "files_changed"u8))
            {
                s.FilesChanged = GoJsonReader.ReadUInt64(ref reader, "files_changed", s.FilesChanged);
            }
            else if (GoJsonReader.NameIs(ref reader, "files_unmodified"u8))
            {
                s.FilesUnmodified = GoJsonReader.ReadUInt64(ref reader, "files_unmodified", s.FilesUnmodified);
            }
            else if (GoJsonReader.NameIs(ref reader, "dirs_new"u8))
            {
                s.DirsNew = GoJsonReader.ReadUInt64(ref reader, "dirs_new", s.DirsNew);
            }
            else if (GoJsonReader.NameIs(ref reader, "dirs_changed"u8))
            {
                s.DirsChanged = GoJsonReader.ReadUInt64(ref reader, "dirs_changed", s.DirsChanged);
            }
            else if (GoJsonReader.NameIs(ref reader, "dirs_unmodified"u8))
            {
                s.DirsUnmodified = GoJsonReader.ReadUInt64(ref reader, "dirs_unmodified", s.DirsUnmodified);
            }
            else if (GoJsonReader.NameIs(ref reader, "data_blobs"u8))
            {
                s.DataBlobs = GoJsonReader.ReadInt64(ref reader, "data_blobs", s.DataBlobs);
            }
            else if (GoJsonReader.NameIs(ref reader, "tree_blobs"u8))
            {
                s.TreeBlobs = GoJsonReader.ReadInt64(ref reader, "tree_blobs", s.TreeBlobs);
            }
            else if (GoJsonReader.NameIs(ref reader, "data_added"u8))
            {
                s.DataAdded = GoJsonReader.ReadUInt64(ref reader, "data_added", s.DataAdded);
            }
            else if (GoJsonReader.NameIs(ref reader, "data_added_packed"u8))
            {
                s.DataAddedPacked = GoJsonReader.ReadUInt64(ref reader, "data_added_packed", s.DataAddedPacked);
            }
            else if (GoJsonReader.NameIs(ref reader, "total_files_processed"u8))
            {
                s.TotalFilesProcessed = GoJsonReader.ReadUInt64(ref reader, "total_files_processed", s.TotalFilesProcessed);
            }
            else if (GoJsonReader.NameIs(ref reader, "total_bytes_processed"u8))
            {
                s.TotalBytesProcessed = GoJsonReader.ReadUInt64(ref reader, "total_bytes_processed", s.TotalBytesProcessed);
            }
            else
            {
                var name = GoJsonReader.PropertyName(ref reader);
                s.ExtraFields.Add(new(name, GoJsonReader.ReadRawValue(ref reader, json)));
            }
        }
    }

    internal void Write(GoJsonWriter w)
    {
        w.WriteStartObject();
        w.WritePropertyName("backup_start"u8);
        w.WriteTime(BackupStart);
        w.WritePropertyName("backup_end"u8);
        w.WriteTime(BackupEnd);
        WriteNumber(w, "files_new"u8, FilesNew);
        WriteNumber(w, "files_changed"u8, FilesChanged);
        WriteNumber(w, "files_unmodified"u8, FilesUnmodified);
        WriteNumber(w, "dirs_new"u8, DirsNew);
        WriteNumber(w, "dirs_changed"u8, DirsChanged);
        WriteNumber(w, "dirs_unmodified"u8, DirsUnmodified);
        w.WritePropertyName("data_blobs"u8);
        w.WriteNumber(DataBlobs);
        w.WritePropertyName("tree_blobs"u8);
        w.WriteNumber(TreeBlobs);
        WriteNumber(w, "data_added"u8, DataAdded);
        WriteNumber(w, "data_added_packed"u8, DataAddedPacked);
        WriteNumber(w, "total_files_processed"u8, TotalFilesProcessed);
        WriteNumber(w, "total_bytes_processed"u8, TotalBytesProcessed);
        foreach (var (name, value) in ExtraFields)
        {
            w.WritePropertyName(name);
            w.WriteRawValue(value);
        }
        w.WriteEndObject();
    }

    private static void WriteNumber(GoJsonWriter w, ReadOnlySpan<byte> name, ulong value)
    {
        w.WritePropertyName(name);
        w.WriteNumber(value);
    }
}
