namespace Harrier.Dns.Server;

/// <summary>
/// Reads a query from untrusted bytes. It never follows a compression pointer (a question name may not use one, and an
/// additional record's owner is skipped at its first pointer), so loops and pointers past the end cannot make it spin
/// or read out of bounds; every length is checked against the message before use.
/// </summary>
internal static class DnsQueryParser
{
    /// <summary>Additional records a query may carry (an OPT, perhaps a TSIG/COOKIE-bearing one); more is FORMERR.</summary>
    private const int MaxAdditional = 4;

    public static QueryVerdict Parse(ReadOnlySpan<byte> message, out DnsQuery query)
    {
        query = default;
        if (message.Length < DnsWire.HeaderSize)
        {
            return QueryVerdict.Drop;
        }
        var id = DnsWire.U16(message, 0);
        var flags = DnsWire.U16(message, 2);
        query = new DnsQuery(id, flags, DnsWire.HeaderSize, 0, 0, false, 0, 0, false);
        if ((flags & DnsWire.FlagQr) != 0)
        {
            return QueryVerdict.Drop;
        }
        if ((flags & DnsWire.OpcodeMask) != 0)
        {
            return QueryVerdict.NotImplemented;
        }
        var questions = DnsWire.U16(message, 4);
        var answers = DnsWire.U16(message, 6);
        var authority = DnsWire.U16(message, 8);
        var additional = DnsWire.U16(message, 10);
        if (questions != 1 || answers != 0 || authority != 0 || additional > MaxAdditional)
        {
            return QueryVerdict.FormatError;
        }
        var position = DnsWire.HeaderSize;
        if (!SkipName(message, ref position, pointerEnds: false) || position + 4 > message.Length)
        {
            return QueryVerdict.FormatError;
        }
        var qtype = DnsWire.U16(message, position);
        var qclass = DnsWire.U16(message, position + 2);
        position += 4;
        query = query with { QuestionEnd = position, QType = qtype, QClass = qclass };

        for (var i = 0; i < additional; i++)
        {
            var owner = position;
            if (!SkipName(message, ref position, pointerEnds: true) || position + 10 > message.Length)
            {
                return QueryVerdict.FormatError;
            }
            var type = DnsWire.U16(message, position);
            var rdLength = DnsWire.U16(message, position + 8);
            if (position + 10 + rdLength > message.Length)
            {
                return QueryVerdict.FormatError;
            }
            if (type == DnsWire.TypeOpt)
            {
                // RFC 6891 §6.1.1: one OPT, owned by the root.
                if (query.Edns || position != owner + 1 || message[owner] != 0)
                {
                    return QueryVerdict.FormatError;
                }
                var ttl = ((uint)DnsWire.U16(message, position + 4) << 16) | DnsWire.U16(message, position + 6);
                query = query with
                {
                    Edns = true,
                    UdpSize = DnsWire.U16(message, position + 2),
                    EdnsVersion = (byte)(ttl >> 16),
                    DnssecOk = (ttl & 0x8000) != 0,
                };
            }
            position += 10 + rdLength;
        }
        return QueryVerdict.Answer;
    }

    /// <summary>Walks a name without following pointers: false on a reserved label type, a label over 63, a name over
    /// 255 or one that runs off the end. A question's name must be uncompressed (a pointer is refused); a record
    /// owner's name ends at its first pointer.</summary>
    private static bool SkipName(ReadOnlySpan<byte> message, ref int position, bool pointerEnds)
    {
        var length = 0;
        while (position < message.Length)
        {
            int label = message[position];
            if (label == 0)
            {
                position++;
                return pointerEnds || length + 1 <= DnsWire.MaxNameLength;
            }
            if (pointerEnds && (label & 0xC0) == 0xC0)
            {
                position += 2;
                return position <= message.Length;
            }
            if (label > 63)
            {
                return false;
            }
            length += label + 1;
            position += label + 1;
            if (length > DnsWire.MaxNameLength)
            {
                return false;
            }
        }
        return false;
    }
}
