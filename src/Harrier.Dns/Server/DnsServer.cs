using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Harrier.Dns.Zones;
using Microsoft.Extensions.Logging;

namespace Harrier.Dns.Server;

/// <summary>
/// The DNS server: UDP and TCP on one address and port, answering from <see cref="IZoneSource.Current"/> (read once per
/// query, no locks) and forwarding other names through <see cref="DnsForwarder"/>.
/// Owns: its two sockets, its UDP receive threads (blocking receives, one reply per datagram, so a flood costs bounded
/// work: the kernel's socket buffer drops what the threads cannot take), the TCP accept loop and its connections
/// (at most <see cref="DnsServerOptions.MaxTcpConnections"/>, each closed after
/// <see cref="DnsServerOptions.TcpIdleTimeout"/> without a query).
/// On failure: a bad packet, a failed send or an exception while answering costs that one query (logged within a
/// budget); the receive loops end only when the server is disposed.
/// </summary>
public sealed class DnsServer : IAsyncDisposable
{
    private readonly DnsServerOptions _options;
    private readonly IZoneSource _zones;
    private readonly ILogger _logger;
    private readonly LogBudget _logBudget;
    private readonly DnsNames _names = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Thread> _udpThreads = [];
    private Socket? _udp;
    private Socket? _tcp;
    private Task _acceptLoop = Task.CompletedTask;
    private DnsForwarder? _forwarder;
    private int _tcpConnections;
    private int _seed;

    public DnsServer(DnsServerOptions options, IZoneSource zones, ILogger logger, TimeProvider? time = null)
    {
        _options = options;
        _zones = zones;
        _logger = logger;
        _logBudget = new LogBudget(time ?? TimeProvider.System);
    }

    /// <summary>The bound port (the one picked when <see cref="DnsServerOptions.Port"/> is 0).</summary>
    public int Port { get; private set; }

    public IPEndPoint Endpoint => new(_options.Address, Port);

    /// <summary>The upstreams in use (after the resolv.conf default).</summary>
    public IReadOnlyList<IPEndPoint> Upstreams => _forwarder?.Upstreams ?? [];

    internal int OpenTcpConnections => Volatile.Read(ref _tcpConnections);

    internal int InternedNames => _names.Count;

    internal int ForwardsInFlight => _forwarder?.InFlight ?? 0;

    /// <summary>Binds both sockets (TCP first, then UDP on the same port; a port 0 pick that UDP cannot take is
    /// retried) and starts serving.</summary>
    public void Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var tcp = new Socket(_options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var udp = new Socket(_options.Address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                tcp.Bind(new IPEndPoint(_options.Address, _options.Port));
                var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
                udp.Bind(new IPEndPoint(_options.Address, port));
                tcp.Listen(512);
                // A UDP thread must never wait on one client: a full send queue drops that reply instead of blocking.
                udp.Blocking = false;
                (_tcp, _udp, Port) = (tcp, udp, port);
                break;
            }
            catch (SocketException) when (_options.Port == 0 && attempt < 20)
            {
                tcp.Dispose();
                udp.Dispose();
            }
            catch
            {
                tcp.Dispose();
                udp.Dispose();
                throw;
            }
        }
        var upstreams = _options.Upstreams.Count > 0 ? _options.Upstreams : ResolvConf.Read(Endpoint);
        _forwarder = new DnsForwarder(upstreams, _options, _logger);
        var threads = _options.UdpThreads > 0 ? _options.UdpThreads : Environment.ProcessorCount;
        for (var i = 0; i < threads; i++)
        {
            var thread = new Thread(UdpLoop) { IsBackground = true, Name = $"dns-udp-{i}" };
            _udpThreads.Add(thread);
            thread.Start();
        }
        _acceptLoop = Task.Run(AcceptLoopAsync);
        DnsServerLog.Listening(_logger, Endpoint.ToString(), _options.Recursion ? string.Join(", ", upstreams) : "(recursion off)");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _udp?.Dispose();
        _tcp?.Dispose();
        foreach (var thread in _udpThreads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or SocketException or ObjectDisposedException)
        {
        }
        _stopping.Dispose();
    }

    private DnsResponder NewResponder() => new(_options, _names, new Random(Interlocked.Increment(ref _seed) ^ Environment.TickCount));

    private void UdpLoop()
    {
        var udp = _udp!;
        var responder = NewResponder();
        // One byte more than the largest query accepted, so an oversized datagram shows as such and is dropped.
        var query = new byte[DnsWire.MaxUdpSize + 1];
        var reply = new byte[DnsWire.MaxUdpSize];
        var client = new SocketAddress(udp.AddressFamily);
        while (!_stopping.IsCancellationRequested)
        {
            int length;
            try
            {
                length = udp.ReceiveFrom(query, SocketFlags.None, client);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock && !_stopping.IsCancellationRequested)
            {
                // Non-blocking (see Start): wait for the next datagram, waking now and then to see whether to stop.
                udp.Poll(500_000, SelectMode.SelectRead);
                continue;
            }
            catch (SocketException) when (!_stopping.IsCancellationRequested)
            {
                continue; // ICMP errors of earlier sends, truncated datagrams
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            if (length > DnsWire.MaxUdpSize)
            {
                continue;
            }
            try
            {
                var kind = responder.Respond(query.AsSpan(0, length), udp: true, _zones.Current, reply, out var replyLength, out var parsed);
                if (kind == ResponseKind.Reply)
                {
                    try
                    {
                        udp.SendTo(reply.AsSpan(0, replyLength), SocketFlags.None, client);
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                    {
                        // The send queue is full (on loopback, of replies a client never reads): this reply is dropped,
                        // as a full UDP queue drops, instead of the thread waiting on that client.
                    }
                }
                else if (kind == ResponseKind.Forward)
                {
                    var copy = new SocketAddress(client.Family, client.Size);
                    client.Buffer.CopyTo(copy.Buffer);
                    _ = ForwardUdpAsync(query.AsSpan(0, length).ToArray(), parsed, copy);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Problem(client.ToString(), e.Message);
            }
        }
    }

    private async Task ForwardUdpAsync(byte[] query, DnsQuery parsed, SocketAddress client)
    {
        try
        {
            var address = ((IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(client)).Address;
            var result = await _forwarder!.ForwardAsync(query, parsed, address, _stopping.Token);
            var limit = parsed.Edns ? Math.Clamp((int)parsed.UdpSize, DnsWire.ClassicUdpSize, DnsWire.MaxUdpSize) : DnsWire.ClassicUdpSize;
            if (result.Reply is { } reply && result.Length <= limit)
            {
                await _udp!.SendToAsync(reply.AsMemory(0, result.Length), SocketFlags.None, client, _stopping.Token);
                return;
            }
            // No reply, or one too big for this client: an empty one (TC when too big, so it retries over TCP).
            var buffer = new byte[DnsWire.MaxUdpSize];
            var length = NewResponder().WriteRcode(query, parsed, result.Reply is null ? result.Rcode : DnsWire.U16(result.Reply, 2) & 0xF,
                udp: true, buffer, authoritative: false, truncated: result.Reply is not null);
            await _udp!.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, client, _stopping.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!_stopping.IsCancellationRequested)
            {
                Problem(client.ToString(), e.Message);
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _tcp!.AcceptAsync(_stopping.Token);
            }
            catch (SocketException) when (!_stopping.IsCancellationRequested)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (Interlocked.Increment(ref _tcpConnections) > _options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _tcpConnections);
                connection.Dispose();
                continue;
            }
            _ = ServeTcpAsync(connection);
        }
    }

    /// <summary>Answers queries on one connection in order until the peer closes, idles out, or sends a length prefix
    /// over <see cref="DnsServerOptions.MaxTcpQueryBytes"/>.</summary>
    private async Task ServeTcpAsync(Socket connection)
    {
        var responder = NewResponder();
        var query = ArrayPool<byte>.Shared.Rent(_options.MaxTcpQueryBytes);
        var reply = ArrayPool<byte>.Shared.Rent(DnsWire.MaxTcpMessage + 2);
        var replyBody = ArrayPool<byte>.Shared.Rent(DnsWire.MaxTcpMessage);
        var prefix = new byte[2];
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        try
        {
            connection.NoDelay = true;
            while (true)
            {
                idle.CancelAfter(_options.TcpIdleTimeout);
                if (!await TcpFraming.ReadExactlyAsync(connection, prefix, idle.Token))
                {
                    return;
                }
                var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
                if (length > _options.MaxTcpQueryBytes)
                {
                    return;
                }
                if (!await TcpFraming.ReadExactlyAsync(connection, query.AsMemory(0, length), idle.Token))
                {
                    return;
                }
                var kind = responder.Respond(query.AsSpan(0, length), udp: false, _zones.Current, replyBody, out var replyLength, out var parsed);
                if (kind == ResponseKind.Drop)
                {
                    continue;
                }
                ReadOnlyMemory<byte> body = replyBody.AsMemory(0, replyLength);
                if (kind == ResponseKind.Forward)
                {
                    var address = ((IPEndPoint)connection.RemoteEndPoint!).Address;
                    var result = await _forwarder!.ForwardAsync(query.AsMemory(0, length).ToArray(), parsed, address, idle.Token);
                    body = result.Reply is { } forwarded
                        ? forwarded.AsMemory(0, result.Length)
                        : replyBody.AsMemory(0, responder.WriteRcode(query.AsSpan(0, length), parsed, result.Rcode, udp: false, replyBody, authoritative: false));
                }
                BinaryPrimitives.WriteUInt16BigEndian(reply, (ushort)body.Length);
                body.CopyTo(reply.AsMemory(2));
                await connection.SendAsync(reply.AsMemory(0, body.Length + 2), SocketFlags.None, idle.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Idle, closed by the peer, or the server stopping.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Problem(connection.RemoteEndPoint?.ToString() ?? "?", e.Message);
        }
        finally
        {
            connection.Dispose();
            ArrayPool<byte>.Shared.Return(query);
            ArrayPool<byte>.Shared.Return(reply);
            ArrayPool<byte>.Shared.Return(replyBody);
            Interlocked.Decrement(ref _tcpConnections);
        }
    }

    private void Problem(string client, string problem)
    {
        if (_logBudget.TryTake(out var suppressed))
        {
            if (suppressed > 0)
            {
                DnsServerLog.Suppressed(_logger, suppressed);
            }
            DnsServerLog.QueryFailed(_logger, client, problem);
        }
    }
}
