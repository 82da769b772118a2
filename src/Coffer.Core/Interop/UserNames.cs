using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Coffer.Core.Interop;

/// <summary>
/// User and group names by id (<c>getpwuid_r</c>, <c>getgrgid_r</c>), cached for the life of the instance, as
/// restic records them in a node's <c>user</c> and <c>group</c>. Thread-safe. Ids without an entry give null
/// (restic then leaves the field out); so do lookup failures.
/// </summary>
public sealed unsafe class UserNames
{
    private const int StartBuffer = 1024;
    private const int MaxBuffer = 1 << 20;
    private const int EntryStructSize = 64; // struct passwd is 48 bytes and struct group 32 on 64-bit Linux

    private readonly ConcurrentDictionary<uint, string?> users = new();
    private readonly ConcurrentDictionary<uint, string?> groups = new();
    private readonly ConcurrentDictionary<string, uint?> userIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, uint?> groupIds = new(StringComparer.Ordinal);

    /// <summary>A process-wide instance.</summary>
    public static UserNames Shared { get; } = new();

    /// <summary>The name of user <paramref name="uid"/>, or null.</summary>
    public string? UserName(uint uid) => users.GetOrAdd(uid, static id => Lookup(id, static (i, e, b, n, r) => Libc.GetPwUidR(i, e, b, n, r)));

    /// <summary>The name of group <paramref name="gid"/>, or null.</summary>
    public string? GroupName(uint gid) => groups.GetOrAdd(gid, static id => Lookup(id, static (i, e, b, n, r) => Libc.GetGrGidR(i, e, b, n, r)));

    /// <summary>The id of the user named <paramref name="name"/> on this machine (<c>getpwnam_r</c>), or null.</summary>
    public uint? UserId(string name) => name.Length == 0 ? null
        : userIds.GetOrAdd(name, static n => LookupId(n, PasswdIdOffset, static (nm, e, b, l, r) => Libc.GetPwNamR(nm, e, b, l, r)));

    /// <summary>The id of the group named <paramref name="name"/> on this machine (<c>getgrnam_r</c>), or null.</summary>
    public uint? GroupId(string name) => name.Length == 0 ? null
        : groupIds.GetOrAdd(name, static n => LookupId(n, GroupIdOffset, static (nm, e, b, l, r) => Libc.GetGrNamR(nm, e, b, l, r)));

    // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; … } and struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; … }.
    private const int PasswdIdOffset = 16;
    private const int GroupIdOffset = 16;

    private delegate int NameCall(byte* name, byte* entry, byte* buffer, nuint length, byte** result);

    private static uint? LookupId(string name, int idOffset, NameCall call)
    {
        var entry = stackalloc byte[EntryStructSize];
        var terminated = System.Text.Encoding.UTF8.GetBytes(name + "\0");
        if (Array.IndexOf(terminated, (byte)0) != terminated.Length - 1)
        {
            return null;
        }
        for (var size = StartBuffer; size <= MaxBuffer; size *= 2)
        {
            var buffer = new byte[size];
            byte* result = null;
            int error;
            fixed (byte* n = terminated)
            fixed (byte* b = buffer)
            {
                error = call(n, entry, b, (nuint)size, &result);
                if (error == 0)
                {
                    return result is null ? null : *(uint*)(result + idOffset);
                }
            }
            if (error != PosixErrors.Range && error != PosixErrors.Interrupted)
            {
                return null;
            }
        }
        return null;
    }

    private delegate int EntryCall(uint id, byte* entry, byte* buffer, nuint length, byte** result);

    private static string? Lookup(uint id, EntryCall call)
    {
        var entry = stackalloc byte[EntryStructSize];
        for (var size = StartBuffer; size <= MaxBuffer; size *= 2)
        {
            var buffer = new byte[size];
            byte* result = null;
            int error;
            fixed (byte* b = buffer)
            {
                error = call(id, entry, b, (nuint)size, &result);
                if (error == 0)
                {
                    // pw_name and gr_name are the first member of their struct; the string lives in the buffer.
                    return result is null ? null : Marshal.PtrToStringUTF8(*(IntPtr*)result);
                }
            }
            if (error != PosixErrors.Range && error != PosixErrors.Interrupted)
            {
                return null;
            }
        }
        return null;
    }
}
