using Harrier.Dns.Zones;

namespace Harrier.Dns.Server;

/// <summary>
/// Answers one query from a zone snapshot, as Mesos-DNS's resolver did (lb-dns.md §2.5): authoritative, names compared
/// lower-cased (the question echoed as asked), A/AAAA/SRV with the zone's TTL, for SRV the first A and AAAA of each
/// target in the additional section, answers shuffled per query, NXDOMAIN or NODATA with the zone's SOA, SOA/NS
/// questions answered in the authority section (in the answer at the origin), zone transfers REFUSED. A reply that does
/// not fit loses its additional section first, then answers from the end, and says so with TC.
/// Not thread-safe: one instance per receive thread or TCP connection (it reuses its buffers, so the hot path allocates
/// nothing for a name seen before).
/// </summary>
internal sealed class DnsResponder
{
    private const int OptSize = 11;

    private readonly DnsServerOptions _options;
    private readonly DnsNames _names;
    private readonly Random _random;
    private readonly DnsMessageWriter _writer = new();
    private readonly HashSet<string> _targets = new(StringComparer.Ordinal);
    private int[] _order = new int[64];

    public DnsResponder(DnsServerOptions options, DnsNames names, Random random)
    {
        _options = options;
        _names = names;
        _random = random;
    }

    /// <summary>Reads <paramref name="query"/> and writes the reply into <paramref name="buffer"/> (at least 4096 bytes
    /// for UDP, 65535 for TCP).</summary>
    public ResponseKind Respond(ReadOnlySpan<byte> query, bool udp, ZoneSnapshot zone, byte[] buffer, out int length, out DnsQuery parsed)
    {
        length = 0;
        var verdict = DnsQueryParser.Parse(query, out parsed);
        if (verdict == QueryVerdict.Drop)
        {
            return ResponseKind.Drop;
        }
        if (verdict == QueryVerdict.Answer && udp && query.Length > DnsWire.ClassicUdpSize && !parsed.Edns)
        {
            verdict = QueryVerdict.FormatError;
        }
        if (verdict != QueryVerdict.Answer)
        {
            var rcode = verdict == QueryVerdict.NotImplemented ? DnsWire.RcodeNotImp : DnsWire.RcodeFormErr;
            length = WriteRcode(query, parsed, rcode, udp, buffer, authoritative: false);
            return ResponseKind.Reply;
        }
        if (parsed.Edns && parsed.EdnsVersion != 0)
        {
            // RFC 6891 §6.1.3: BADVERS (16) = extended bits 1, header rcode 0.
            length = WriteRcode(query, parsed, 16, udp, buffer, authoritative: false);
            return ResponseKind.Reply;
        }
        var name = _names.Decode(query, DnsWire.HeaderSize);
        var authority = zone.AuthorityFor(name);
        if (authority is null)
        {
            if (_options.Recursion)
            {
                return ResponseKind.Forward;
            }
            length = WriteRcode(query, parsed, DnsWire.RcodeRefused, udp, buffer, authoritative: false);
            return ResponseKind.Reply;
        }
        if (parsed.QType is DnsWire.TypeAxfr or DnsWire.TypeIxfr)
        {
            // Mesos-DNS served zone transfers only over HTTP (/v1/axfr).
            length = WriteRcode(query, parsed, DnsWire.RcodeRefused, udp, buffer, authoritative: true);
            return ResponseKind.Reply;
        }
        length = Answer(query, parsed, name, authority, zone, udp, buffer);
        return ResponseKind.Reply;
    }

    /// <summary>A reply with no records but the question (when it was read) and the OPT (when the query had one).</summary>
    public int WriteRcode(ReadOnlySpan<byte> query, DnsQuery parsed, int rcode, bool udp, byte[] buffer, bool authoritative, bool truncated = false)
    {
        var writer = Begin(query, parsed, udp, buffer, parsed.HasQuestion ? null : string.Empty);
        writer.Release(parsed.Edns ? OptSize : 0);
        if (parsed.Edns)
        {
            writer.TryOpt(DnsWire.MaxUdpSize, rcode, parsed.DnssecOk);
        }
        var flags = Flags(parsed, authoritative) | (truncated ? DnsWire.FlagTc : 0);
        writer.Finish(parsed.Id, (ushort)flags, rcode);
        return writer.Position;
    }

    private int Answer(ReadOnlySpan<byte> query, DnsQuery parsed, string name, ZoneAuthority authority, ZoneSnapshot zone, bool udp, byte[] buffer)
    {
        var writer = Begin(query, parsed, udp, buffer, name);
        var found = zone.TryGet(name, out var records);
        var atOrigin = name == authority.Origin;
        var truncated = false;
        var rcode = DnsWire.RcodeNoError;
        var ttl = authority.Ttl;
        switch (parsed.QType)
        {
            case DnsWire.TypeA:
                truncated = !WriteAddresses(writer, name, records.A, ttl);
                break;
            case DnsWire.TypeAaaa:
                truncated = !WriteAddresses(writer, name, records.Aaaa, ttl);
                break;
            case DnsWire.TypeSrv:
                truncated = !WriteSrv(writer, name, records.Srv, ttl, zone);
                break;
            case DnsWire.TypeAny:
                // What the name owns, within the same size limit as any answer: no amplification beyond it.
                // SRV last: its targets' addresses go to the additional section, after every answer.
                truncated = !WriteAddresses(writer, name, records.A, ttl)
                    || !WriteAddresses(writer, name, records.Aaaa, ttl)
                    || (atOrigin && (!writer.TrySoa(DnsSection.Answer, authority) || !WriteNameServers(writer, DnsSection.Answer, authority)))
                    || !WriteSrv(writer, name, records.Srv, ttl, zone);
                break;
            case DnsWire.TypeSoa:
                truncated = !writer.TrySoa(atOrigin ? DnsSection.Answer : DnsSection.Authority, authority);
                break;
            case DnsWire.TypeNs:
                truncated = !WriteNameServers(writer, atOrigin ? DnsSection.Answer : DnsSection.Authority, authority);
                break;
        }
        if (writer.Answers == 0 && writer.Authority == 0)
        {
            // NODATA for a name that owns records (or the origin), NXDOMAIN otherwise; the SOA tells how long to cache it.
            rcode = found || atOrigin ? DnsWire.RcodeNoError : DnsWire.RcodeNxDomain;
            truncated |= !writer.TrySoa(DnsSection.Authority, authority);
        }
        writer.Release(parsed.Edns ? OptSize : 0);
        if (parsed.Edns)
        {
            writer.TryOpt(DnsWire.MaxUdpSize, 0, parsed.DnssecOk);
        }
        var flags = Flags(parsed, authoritative: true) | (truncated && _options.SetTruncateBit ? DnsWire.FlagTc : 0);
        writer.Finish(parsed.Id, (ushort)flags, rcode);
        return writer.Position;
    }

    private DnsMessageWriter Begin(ReadOnlySpan<byte> query, DnsQuery parsed, bool udp, byte[] buffer, string? name)
    {
        var limit = !udp ? DnsWire.MaxTcpMessage
            : parsed.Edns ? Math.Clamp((int)parsed.UdpSize, DnsWire.ClassicUdpSize, DnsWire.MaxUdpSize)
            : DnsWire.ClassicUdpSize;
        _writer.Begin(buffer, limit);
        _writer.Reserve(parsed.Edns ? OptSize : 0);
        if (parsed.HasQuestion)
        {
            _writer.WriteQuestion(query, parsed.QuestionEnd, name);
        }
        return _writer;
    }

    private int Flags(DnsQuery parsed, bool authoritative) =>
        DnsWire.FlagQr | (parsed.Flags & (DnsWire.OpcodeMask | DnsWire.FlagRd))
        | (authoritative ? DnsWire.FlagAa : 0) | (_options.Recursion ? DnsWire.FlagRa : 0);

    /// <summary>Writes the addresses in a fresh random order; false when some did not fit.</summary>
    private bool WriteAddresses(DnsMessageWriter writer, string owner, IReadOnlyList<System.Net.IPAddress> addresses, uint ttl)
    {
        var order = Shuffle(addresses.Count);
        for (var i = 0; i < order.Length; i++)
        {
            if (!writer.TryAddress(DnsSection.Answer, owner, addresses[order[i]], ttl))
            {
                return false;
            }
        }
        return true;
    }

    private bool WriteSrv(DnsMessageWriter writer, string owner, IReadOnlyList<SrvData> records, uint ttl, ZoneSnapshot zone)
    {
        var order = Shuffle(records.Count);
        var written = 0;
        for (; written < order.Length; written++)
        {
            if (!writer.TrySrv(DnsSection.Answer, owner, records[order[written]], ttl))
            {
                return false;
            }
        }
        // The first A and AAAA of each target; all of them or none (Mesos-DNS dropped the whole section first).
        var mark = writer.Mark();
        _targets.Clear();
        for (var i = 0; i < written; i++)
        {
            var target = records[order[i]].Target;
            if (!_targets.Add(target) || !zone.TryGet(target, out var host))
            {
                continue;
            }
            if ((host.A.Count > 0 && !writer.TryAddress(DnsSection.Additional, target, host.A[0], ttl))
                || (host.Aaaa.Count > 0 && !writer.TryAddress(DnsSection.Additional, target, host.Aaaa[0], ttl)))
            {
                writer.Rewind(mark);
                return false;
            }
        }
        return true;
    }

    private bool WriteNameServers(DnsMessageWriter writer, DnsSection section, ZoneAuthority authority)
    {
        if (authority.NameServers.Count == 0)
        {
            return writer.TryNs(section, authority.Origin, authority.SoaMname, authority.Ttl);
        }
        foreach (var server in authority.NameServers)
        {
            if (!writer.TryNs(section, authority.Origin, server, authority.Ttl))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A random permutation of 0..count-1 in a reused array (Fisher–Yates).</summary>
    private ReadOnlySpan<int> Shuffle(int count)
    {
        if (_order.Length < count)
        {
            _order = new int[Math.Max(count, _order.Length * 2)];
        }
        var order = _order.AsSpan(0, count);
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }
        for (var i = count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
