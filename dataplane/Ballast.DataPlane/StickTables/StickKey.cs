using System.Buffers.Binary;
using System.Net;

namespace Ballast.DataPlane.StickTables;

/// <summary>
/// A stick-table key without allocation for addresses: HAProxy <c>type ip</c> (IPv4-mapped IPv6 folded to IPv4,
/// IPv6 kept in 128 bits) or <c>type string</c> (truncated to HAProxy's default <c>len 32</c>).
/// </summary>
internal readonly record struct StickKey
{
    /// <summary>HAProxy's default <c>len</c> of <c>type string</c> keys.</summary>
    public const int MaxStringLength = 32;

    private StickKey(UInt128 address, string? text)
    {
        Address = address;
        Text = text;
    }

    /// <summary>The address in 128 bits (IPv4 as ::ffff:a.b.c.d); zero for string keys.</summary>
    public UInt128 Address { get; }

    /// <summary>The string key, or null for address keys.</summary>
    public string? Text { get; }

    /// <summary>The key of a client address.</summary>
    /// <param name="address">The address.</param>
    public static StickKey From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            bytes.Clear();
            bytes[10] = 0xff;
            bytes[11] = 0xff;
            address.TryWriteBytes(bytes[12..], out _);
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
        }

        return new StickKey(BinaryPrimitives.ReadUInt128BigEndian(bytes), null);
    }

    /// <summary>The key of a string sample, truncated to <see cref="MaxStringLength"/> characters.</summary>
    /// <param name="text">The sample.</param>
    public static StickKey From(string text) =>
        new(UInt128.Zero, text.Length > MaxStringLength ? text[..MaxStringLength] : text);
}
