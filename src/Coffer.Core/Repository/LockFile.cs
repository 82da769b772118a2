using System.Buffers;
using System.Text.Json;
using Coffer.Core.Interop;
using Coffer.Core.Primitives;

namespace Coffer.Core.Repository;

/// <summary>The JSON content of a lock file (restic format §11).</summary>
public sealed record LockFile(GoTime Time, bool Exclusive, string Hostname, string Username, int Pid, uint Uid, uint Gid)
{
    /// <summary>A lock older than this without refresh is stale.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(30);

    /// <summary>How often a held lock is rewritten.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>Compact JSON in restic's field order; uid/gid omitted when 0.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("time", Time.ToString());
            w.WriteBoolean("exclusive", Exclusive);
            w.WriteString("hostname", Hostname);
            w.WriteString("username", Username);
            w.WriteNumber("pid", Pid);
            if (Uid != 0)
            {
                w.WriteNumber("uid", Uid);
            }
            if (Gid != 0)
            {
                w.WriteNumber("gid", Gid);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses lock JSON; throws <see cref="InvalidDataException"/> when malformed.</summary>
    public static LockFile Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            GoTime time = default;
            bool exclusive = false, hasTime = false;
            string hostname = "", username = "";
            int pid = 0;
            uint uid = 0, gid = 0;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidDataException("lock is not a JSON object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "time":
                        time = GoTime.Parse(reader.GetString() ?? "");
                        hasTime = true;
                        break;
                    case "exclusive":
                        exclusive = reader.GetBoolean();
                        break;
                    case "hostname":
                        hostname = reader.GetString() ?? "";
                        break;
                    case "username":
                        username = reader.GetString() ?? "";
                        break;
                    case "pid":
                        pid = reader.GetInt32();
                        break;
                    case "uid":
                        uid = reader.GetUInt32();
                        break;
                    case "gid":
                        gid = reader.GetUInt32();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (!hasTime)
            {
                throw new InvalidDataException("lock without time");
            }
            return new LockFile(time, exclusive, hostname, username, pid, uid, gid);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"invalid lock JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// Stale: not refreshed for <see cref="StaleAfter"/>, or made on this host by a process that no
    /// longer exists. (Existence is probed without sending a signal.)
    /// </summary>
    public bool IsStale(DateTimeOffset now, string localHostname)
    {
        if (now - Time.ToDateTimeOffset() > StaleAfter)
        {
            return true;
        }
        return Hostname == localHostname && !PosixProcess.Exists(Pid);
    }

    /// <summary>True when this lock was made on this host by a process that is gone.</summary>
    public bool IsOwnedByDeadLocalProcess(string localHostname) => Hostname == localHostname && !PosixProcess.Exists(Pid);

    /// <summary>Human description, as in restic's "locked by" message.</summary>
    public string Describe(string name) =>
        $"{(Exclusive ? "exclusively" : "")} by PID {Pid} on {Hostname} by {Username} (UID {Uid}, GID {Gid})\nlock was created at {Time.ToShortString()}\nstorage ID {name[..8]}".Replace("  ", " ", StringComparison.Ordinal).TrimStart();
}
