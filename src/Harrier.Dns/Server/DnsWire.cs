using System.Buffers.Binary;

namespace Harrier.Dns.Server;

/// <summary>RFC 1035 wire constants and big-endian helpers shared by the query parser and the response writer.</summary>
internal static class DnsWire
{
    public const int HeaderSize = 12;

    /// <summary>A UDP message without EDNS0 (RFC 1035 §2.3.4).</summary>
    public const int ClassicUdpSize = 512;

    /// <summary>The largest EDNS0 UDP payload Harrier answers with, whatever the client offers.</summary>
    public const int MaxUdpSize = 4096;

    public const int MaxTcpMessage = 65535;

    public const int MaxNameLength = 255;

    public const ushort TypeA = 1;
    public const ushort TypeNs = 2;
    public const ushort TypeSoa = 6;
    public const ushort TypeAaaa = 28;
    public const ushort TypeSrv = 33;
    public const ushort TypeOpt = 41;
    public const ushort TypeIxfr = 251;
    public const ushort TypeAxfr = 252;
    public const ushort TypeAny = 255;

    public const ushort ClassIn = 1;

    public const ushort FlagQr = 0x8000;
    public const ushort FlagAa = 0x0400;
    public const ushort FlagTc = 0x0200;
    public const ushort FlagRd = 0x0100;
    public const ushort FlagRa = 0x0080;
    public const ushort OpcodeMask = 0x7800;

    public const int RcodeNoError = 0;
    public const int RcodeFormErr = 1;
    public const int RcodeServFail = 2;
    public const int RcodeNxDomain = 3;
    public const int RcodeNotImp = 4;
    public const int RcodeRefused = 5;

    public static ushort U16(ReadOnlySpan<byte> message, int offset) => BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);

    public static void PutU16(Span<byte> message, int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(message[offset..], value);

    public static void PutU32(Span<byte> message, int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(message[offset..], value);
}
