using System.Net;

namespace Harrier.Dns.Server;

/// <summary>
/// Writes one response into a reusable buffer, never past <see cref="Limit"/>: each Try* method either writes a whole
/// record or nothing, so a caller truncates by stopping (and by <see cref="Rewind"/> to a <see cref="Mark"/>). Names are
/// compressed (RFC 1035 §4.1.4) against every name written so far, except SRV targets (RFC 2782: not compressed, but
/// later names may point at them). One instance per thread or connection.
/// </summary>
internal sealed class DnsMessageWriter
{
    /// <summary>Name suffixes remembered for compression; beyond it names are written in full.</summary>
    private const int MaxSuffixes = 128;

    private readonly string[] _suffixName = new string[MaxSuffixes];
    private readonly int[] _suffixStart = new int[MaxSuffixes];
    private readonly ushort[] _suffixOffset = new ushort[MaxSuffixes];
    private int _suffixCount;
    private byte[] _buffer = [];

    public int Position { get; private set; }

    public int Limit { get; private set; }

    public ushort Answers { get; private set; }

    public ushort Authority { get; private set; }

    public ushort Additional { get; private set; }

    public byte[] Buffer => _buffer;

    public void Begin(byte[] buffer, int limit)
    {
        _buffer = buffer;
        Limit = Math.Min(limit, buffer.Length);
        Position = DnsWire.HeaderSize;
        _suffixCount = 0;
        Answers = Authority = Additional = 0;
    }

    /// <summary>Keeps room for a record written last (the OPT) whatever the sections before it take.</summary>
    public void Reserve(int bytes) => Limit -= bytes;

    public void Release(int bytes) => Limit += bytes;

    /// <summary>Copies the question as asked (its case echoed) and remembers its name for compression when
    /// <paramref name="name"/>, its decoded form, is a plain one.</summary>
    public void WriteQuestion(ReadOnlySpan<byte> query, int questionEnd, string? name)
    {
        query[DnsWire.HeaderSize..questionEnd].CopyTo(_buffer.AsSpan(DnsWire.HeaderSize));
        Position = questionEnd;
        if (name is not null && !name.Contains('\\', StringComparison.Ordinal))
        {
            Remember(name, 0, DnsWire.HeaderSize);
        }
    }

    public (int Position, int Suffixes, ushort Answers, ushort Authority, ushort Additional) Mark() =>
        (Position, _suffixCount, Answers, Authority, Additional);

    public void Rewind((int Position, int Suffixes, ushort Answers, ushort Authority, ushort Additional) mark) =>
        (Position, _suffixCount, Answers, Authority, Additional) = mark;

    public bool TryAddress(DnsSection section, string owner, IPAddress address, uint ttl)
    {
        var mark = Mark();
        var type = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? DnsWire.TypeA : DnsWire.TypeAaaa;
        if (!TryName(owner, compress: true) || !TryRecordHeader(type, ttl, out var rdLength)
            || !address.TryWriteBytes(_buffer.AsSpan(Position, Math.Max(0, Limit - Position)), out var written))
        {
            Rewind(mark);
            return false;
        }
        Position += written;
        return End(section, rdLength);
    }

    public bool TrySrv(DnsSection section, string owner, Zones.SrvData srv, uint ttl)
    {
        var mark = Mark();
        if (!TryName(owner, compress: true) || !TryRecordHeader(DnsWire.TypeSrv, ttl, out var rdLength) || !Fits(6))
        {
            Rewind(mark);
            return false;
        }
        DnsWire.PutU16(_buffer, Position, srv.Priority);
        DnsWire.PutU16(_buffer, Position + 2, srv.Weight);
        DnsWire.PutU16(_buffer, Position + 4, srv.Port);
        Position += 6;
        if (!TryName(srv.Target, compress: false))
        {
            Rewind(mark);
            return false;
        }
        return End(section, rdLength);
    }

    public bool TrySoa(DnsSection section, Zones.ZoneAuthority zone)
    {
        var mark = Mark();
        if (!TryName(zone.Origin, compress: true) || !TryRecordHeader(DnsWire.TypeSoa, zone.Ttl, out var rdLength)
            || !TryName(zone.SoaMname, compress: true) || !TryName(zone.SoaRname, compress: true) || !Fits(20))
        {
            Rewind(mark);
            return false;
        }
        DnsWire.PutU32(_buffer, Position, zone.Serial);
        DnsWire.PutU32(_buffer, Position + 4, zone.Refresh);
        DnsWire.PutU32(_buffer, Position + 8, zone.Retry);
        DnsWire.PutU32(_buffer, Position + 12, zone.Expire);
        DnsWire.PutU32(_buffer, Position + 16, zone.Minimum);
        Position += 20;
        return End(section, rdLength);
    }

    public bool TryNs(DnsSection section, string owner, string server, uint ttl)
    {
        var mark = Mark();
        if (!TryName(owner, compress: true) || !TryRecordHeader(DnsWire.TypeNs, ttl, out var rdLength)
            || !TryName(server, compress: true))
        {
            Rewind(mark);
            return false;
        }
        return End(section, rdLength);
    }

    /// <summary>The EDNS0 OPT pseudo-record (RFC 6891): our payload size, the extended rcode's upper bits, version 0.</summary>
    public bool TryOpt(ushort udpSize, int extendedRcode, bool dnssecOk)
    {
        if (!Fits(11))
        {
            return false;
        }
        var span = _buffer.AsSpan(Position);
        span[0] = 0;
        DnsWire.PutU16(span, 1, DnsWire.TypeOpt);
        DnsWire.PutU16(span, 3, udpSize);
        DnsWire.PutU32(span, 5, ((uint)(extendedRcode >> 4) << 24) | (dnssecOk ? 0x8000u : 0u));
        DnsWire.PutU16(span, 9, 0);
        Position += 11;
        Additional++;
        return true;
    }

    /// <summary>Fills in the header; the message is <c>Buffer[..Position]</c>.</summary>
    public void Finish(ushort id, ushort flags, int rcode)
    {
        var span = _buffer.AsSpan();
        DnsWire.PutU16(span, 0, id);
        DnsWire.PutU16(span, 2, (ushort)((flags & 0xFFF0) | (rcode & 0xF)));
        DnsWire.PutU16(span, 4, Position > DnsWire.HeaderSize ? (ushort)1 : (ushort)0);
        DnsWire.PutU16(span, 6, Answers);
        DnsWire.PutU16(span, 8, Authority);
        DnsWire.PutU16(span, 10, Additional);
    }

    /// <summary>Sets QDCOUNT explicitly (0 when a reply carries no question although records follow).</summary>
    public void SetQuestionCount(ushort count) => DnsWire.PutU16(_buffer, 4, count);

    private bool Fits(int bytes) => Position + bytes <= Limit;

    private bool TryRecordHeader(ushort type, uint ttl, out int rdLengthAt)
    {
        rdLengthAt = Position + 8;
        if (!Fits(10))
        {
            return false;
        }
        DnsWire.PutU16(_buffer, Position, type);
        DnsWire.PutU16(_buffer, Position + 2, DnsWire.ClassIn);
        DnsWire.PutU32(_buffer, Position + 4, ttl);
        Position += 10;
        return true;
    }

    private bool End(DnsSection section, int rdLengthAt)
    {
        DnsWire.PutU16(_buffer, rdLengthAt, (ushort)(Position - rdLengthAt - 2));
        switch (section)
        {
            case DnsSection.Answer: Answers++; break;
            case DnsSection.Authority: Authority++; break;
            default: Additional++; break;
        }
        return true;
    }

    /// <summary>Writes a lower-case absolute name: labels up to the longest suffix written before, then a pointer to it.</summary>
    private bool TryName(string name, bool compress)
    {
        if (name == ".")
        {
            return TryByte(0);
        }
        var start = 0;
        while (start < name.Length)
        {
            if (compress && Find(name, start) is { } offset)
            {
                if (!Fits(2))
                {
                    return false;
                }
                DnsWire.PutU16(_buffer, Position, (ushort)(0xC000 | offset));
                Position += 2;
                return true;
            }
            var dot = name.IndexOf('.', start);
            if (dot < 0)
            {
                dot = name.Length;
            }
            var label = dot - start;
            if (label is 0 or > 63 || !Fits(label + 1))
            {
                return false;
            }
            if (Position < 0x3FFF)
            {
                // Only this suffix: the rest of the name may end in a pointer, so later offsets are not known yet.
                RememberOne(name, start, Position);
            }
            _buffer[Position++] = (byte)label;
            for (var i = start; i < dot; i++)
            {
                _buffer[Position++] = (byte)name[i];
            }
            start = dot + 1;
        }
        return TryByte(0);
    }

    private bool TryByte(byte value)
    {
        if (!Fits(1))
        {
            return false;
        }
        _buffer[Position++] = value;
        return true;
    }

    private int? Find(string name, int start)
    {
        var suffix = name.AsSpan(start);
        for (var i = 0; i < _suffixCount; i++)
        {
            if (suffix.Equals(_suffixName[i].AsSpan(_suffixStart[i]), StringComparison.OrdinalIgnoreCase))
            {
                return _suffixOffset[i];
            }
        }
        return null;
    }

    private void Remember(string name, int start, int offset)
    {
        // Every label suffix of the name at its offset: "a.b.c." at 12 gives "a.b.c." @12, "b.c." @14, "c." @16.
        var position = offset;
        while (start < name.Length && _suffixCount < MaxSuffixes)
        {
            if (Find(name, start) is null)
            {
                RememberOne(name, start, position);
            }
            var dot = name.IndexOf('.', start);
            if (dot < 0)
            {
                return;
            }
            position += dot - start + 1;
            start = dot + 1;
        }
    }

    private void RememberOne(string name, int start, int offset)
    {
        if (_suffixCount < MaxSuffixes)
        {
            _suffixName[_suffixCount] = name;
            _suffixStart[_suffixCount] = start;
            _suffixOffset[_suffixCount] = (ushort)offset;
            _suffixCount++;
        }
    }
}
