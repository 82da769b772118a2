namespace Coffer.Core.Interop;

/// <summary>
/// Linux <c>dev_t</c> in glibc's 64-bit encoding, which is also Go's (<c>unix.Mkdev</c>) and so the value restic
/// stores in a node's <c>device</c> and <c>device_id</c>: minor bits 0–7 → bits 0–7, major bits 0–11 → bits 8–19,
/// minor bits 8–31 → bits 20–43, major bits 12–31 → bits 44–63. (1,3) → 259, (7,0) → 1792.
/// </summary>
public static class DeviceNumber
{
    /// <summary>Encodes a major and minor number.</summary>
    public static ulong Encode(uint major, uint minor) =>
        ((ulong)(major & 0xFFFF_F000) << 32)
        | ((ulong)(major & 0x0000_0FFF) << 8)
        | ((ulong)(minor & 0xFFFF_FF00) << 12)
        | (minor & 0x0000_00FFu);

    /// <summary>The major number of an encoded device.</summary>
    public static uint Major(ulong device) => (uint)(((device >> 32) & 0xFFFF_F000) | ((device >> 8) & 0x0000_0FFF));

    /// <summary>The minor number of an encoded device.</summary>
    public static uint Minor(ulong device) => (uint)(((device >> 12) & 0xFFFF_FF00) | (device & 0x0000_00FF));
}
