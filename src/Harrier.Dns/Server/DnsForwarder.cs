using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Harrier.Dns.Server;

/// <summary>
/// Sends queries for names outside Harrier's zones to upstream resolvers, one at a time in the configured order, over
/// UDP (TCP when the reply is truncated). Each attempt uses a fresh socket connected to the upstream (the kernel drops
/// datagrams from any other source; a new random source port per query) and a fresh random id; a reply counts only when
/// it is a response with that id and the same question, so a spoofed or stale datagram is ignored, never relayed.
/// Bounded: <see cref="DnsServerOptions.MaxForwardsInFlight"/> queries at once (more get SERVFAIL at once, no queue)
/// and <see cref="DnsServerOptions.MaxForwardsPerClient"/> per client address, each attempt limited by
/// <see cref="DnsServerOptions.ForwardTimeout"/>.
/// </summary>
internal sealed class DnsForwarder
{
    /// <summary>Client addresses tracked for the per-client limit; a new client beyond it is refused forwarding.</summary>
    private const int MaxTrackedClients = 4096;

    private readonly IReadOnlyList<IPEndPoint> _upstreams;
    private readonly DnsServerOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPAddress, int> _perClient = new();
    private int _inFlight;

    public DnsForwarder(IReadOnlyList<IPEndPoint> upstreams, DnsServerOptions options, ILogger logger)
    {
        _upstreams = upstreams;
        _options = options;
        _logger = logger;
    }

    public IReadOnlyList<IPEndPoint> Upstreams => _upstreams;

    /// <summary>Queries being forwarded now (for tests and metrics).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task<ForwardResult> ForwardAsync(ReadOnlyMemory<byte> query, DnsQuery parsed, IPAddress client, CancellationToken cancellationToken)
    {
        if (_upstreams.Count == 0)
        {
            return new ForwardResult(null, 0, DnsWire.RcodeRefused);
        }
        if (Interlocked.Increment(ref _inFlight) > _options.MaxForwardsInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            return new ForwardResult(null, 0, DnsWire.RcodeServFail);
        }
        if (!EnterClient(client))
        {
            Interlocked.Decrement(ref _inFlight);
            return new ForwardResult(null, 0, DnsWire.RcodeServFail);
        }
        try
        {
            foreach (var upstream in _upstreams)
            {
                try
                {
                    var reply = await ExchangeAsync(upstream, query, parsed, cancellationToken);
                    if (reply is not null)
                    {
                        DnsWire.PutU16(reply, 0, parsed.Id);
                        return new ForwardResult(reply, reply.Length, DnsWire.U16(reply, 2) & 0xF);
                    }
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    DnsServerLog.UpstreamFailed(_logger, upstream.ToString(), e.Message);
                }
            }
            return new ForwardResult(null, 0, DnsWire.RcodeRefused);
        }
        finally
        {
            LeaveClient(client);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private bool EnterClient(IPAddress client)
    {
        while (true)
        {
            if (_perClient.TryGetValue(client, out var count))
            {
                if (count >= _options.MaxForwardsPerClient)
                {
                    return false;
                }
                if (_perClient.TryUpdate(client, count + 1, count))
                {
                    return true;
                }
            }
            else if (_perClient.Count >= MaxTrackedClients)
            {
                return false;
            }
            else if (_perClient.TryAdd(client, 1))
            {
                return true;
            }
        }
    }

    private void LeaveClient(IPAddress client)
    {
        while (_perClient.TryGetValue(client, out var count))
        {
            if (count <= 1 ? _perClient.TryRemove(new KeyValuePair<IPAddress, int>(client, count)) : _perClient.TryUpdate(client, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>The upstream's reply with our id in it, or null when it did not answer in time.</summary>
    private async Task<byte[]?> ExchangeAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, DnsQuery parsed, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ForwardTimeout);
        var id = (ushort)RandomNumberGenerator.GetInt32(65536);
        var outgoing = query.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(outgoing, id);
        using (var udp = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
        {
            await udp.ConnectAsync(upstream, timeout.Token);
            await udp.SendAsync(outgoing, SocketFlags.None, timeout.Token);
            var buffer = new byte[DnsWire.MaxTcpMessage];
            while (true)
            {
                var length = await udp.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (!Matches(buffer.AsSpan(0, length), id, outgoing, parsed))
                {
                    continue;
                }
                if ((DnsWire.U16(buffer, 2) & DnsWire.FlagTc) == 0)
                {
                    return buffer[..length];
                }
                break;
            }
        }
        return await ExchangeTcpAsync(upstream, outgoing, id, parsed, timeout.Token);
    }

    private static async Task<byte[]?> ExchangeTcpAsync(IPEndPoint upstream, byte[] outgoing, ushort id, DnsQuery parsed, CancellationToken cancellationToken)
    {
        using var tcp = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(upstream, cancellationToken);
        var framed = new byte[outgoing.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)outgoing.Length);
        outgoing.CopyTo(framed, 2);
        await tcp.SendAsync(framed, SocketFlags.None, cancellationToken);
        var prefix = new byte[2];
        if (!await TcpFraming.ReadExactlyAsync(tcp, prefix, cancellationToken))
        {
            return null;
        }
        var reply = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        if (!await TcpFraming.ReadExactlyAsync(tcp, reply, cancellationToken))
        {
            return null;
        }
        return Matches(reply, id, outgoing, parsed) ? reply : null;
    }

    /// <summary>A response to our query: QR set, our id, one question equal to ours (names compared case-insensitively).</summary>
    private static bool Matches(ReadOnlySpan<byte> reply, ushort id, ReadOnlySpan<byte> query, DnsQuery parsed)
    {
        if (reply.Length < parsed.QuestionEnd || DnsWire.U16(reply, 0) != id || (DnsWire.U16(reply, 2) & DnsWire.FlagQr) == 0
            || DnsWire.U16(reply, 4) != 1)
        {
            return false;
        }
        var ours = query[DnsWire.HeaderSize..parsed.QuestionEnd];
        var theirs = reply[DnsWire.HeaderSize..parsed.QuestionEnd];
        for (var i = 0; i < ours.Length; i++)
        {
            if ((ours[i] | 0x20) != (theirs[i] | 0x20) && ours[i] != theirs[i])
            {
                return false;
            }
        }
        return true;
    }
}
