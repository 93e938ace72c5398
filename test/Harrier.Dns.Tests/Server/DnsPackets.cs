using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;

namespace Harrier.Dns.Tests.Server;

/// <summary>Hand-built query bytes (including malformed ones) and replies decoded by ARSoft.Tools.Net.</summary>
internal static class DnsPackets
{
    public const ushort A = 1, Ns = 2, Soa = 6, Aaaa = 28, Srv = 33, Axfr = 252, Any = 255, Txt = 16;

    public static byte[] Query(string name, ushort type, ushort id = 0x1234, ushort? ednsSize = null, byte ednsVersion = 0, ushort flags = 0x0100)
    {
        var bytes = new List<byte>();
        void U16(int v) { bytes.Add((byte)(v >> 8)); bytes.Add((byte)v); }
        U16(id);
        U16(flags);
        U16(1);
        U16(0);
        U16(0);
        U16(ednsSize is null ? 0 : 1);
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(label.Select(c => (byte)c));
        }
        bytes.Add(0);
        U16(type);
        U16(1);
        if (ednsSize is { } size)
        {
            bytes.Add(0);
            U16(41);
            U16(size);
            bytes.Add(0);
            bytes.Add(ednsVersion);
            U16(0);
            U16(0);
        }
        return [.. bytes];
    }

    public static DnsMessage Parse(ReadOnlySpan<byte> reply) => DnsMessage.Parse(new ArraySegment<byte>(reply.ToArray()));

    public static ushort Id(ReadOnlySpan<byte> reply) => BinaryPrimitives.ReadUInt16BigEndian(reply);

    public static int Rcode(ReadOnlySpan<byte> reply) => reply[3] & 0xF;

    public static bool Truncated(ReadOnlySpan<byte> reply) => (reply[2] & 0x02) != 0;
}
