namespace Harrier.Dns.Server;

/// <summary>What the server does with a received message.</summary>
internal enum QueryVerdict
{
    /// <summary>A well-formed standard query: answer it.</summary>
    Answer,

    /// <summary>Not worth a reply: shorter than a header, or a response (QR=1), so a reflected or spoofed reply cannot
    /// start a loop between two servers.</summary>
    Drop,

    /// <summary>FORMERR: QDCOUNT≠1, records where a query has none, a name that runs off the end, uses compression or
    /// breaks the length limits.</summary>
    FormatError,

    /// <summary>NOTIMP: an opcode other than QUERY.</summary>
    NotImplemented,
}

/// <summary>
/// A parsed query: header fields, the question's extent (bytes 12..<see cref="QuestionEnd"/>, the name as asked), its type
/// and the EDNS0 OPT record when present. No strings: the name is decoded only when it is answered.
/// </summary>
internal readonly record struct DnsQuery(
    ushort Id,
    ushort Flags,
    int QuestionEnd,
    ushort QType,
    ushort QClass,
    bool Edns,
    ushort UdpSize,
    byte EdnsVersion,
    bool DnssecOk)
{
    /// <summary>Whether the question section was read (error replies echo it only then).</summary>
    public bool HasQuestion => QuestionEnd > DnsWire.HeaderSize;

    /// <summary>The byte after the question name (QTYPE starts here).</summary>
    public int NameEnd => QuestionEnd - 4;
}
