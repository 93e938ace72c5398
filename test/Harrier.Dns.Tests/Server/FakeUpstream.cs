using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Harrier.Dns.Server;

namespace Harrier.Dns.Tests.Server;

/// <summary>A resolver the test controls, on 127.0.0.1 (UDP, and TCP on the same port): it answers every query with one
/// A record 192.0.2.1, optionally first sending a reply with a wrong id, truncating over UDP, or staying silent.</summary>
internal sealed class FakeUpstream : IDisposable
{
    private readonly Socket _udp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _tcp = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private int _udpQueries;
    private int _tcpQueries;

    public FakeUpstream(bool silent = false, bool spoofFirst = false, bool truncateUdp = false)
    {
        _tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _udp.Bind(_tcp.LocalEndPoint!);
        _tcp.Listen(16);
        _ = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (true)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _udp.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0));
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
                Interlocked.Increment(ref _udpQueries);
                if (silent)
                {
                    continue;
                }
                var query = buffer[..received.ReceivedBytes];
                if (spoofFirst)
                {
                    var spoof = Answer(query, "198.51.100.66", truncated: false);
                    spoof[0] ^= 0xFF;
                    await _udp.SendToAsync(spoof, received.RemoteEndPoint);
                }
                await _udp.SendToAsync(Answer(query, "192.0.2.1", truncateUdp), received.RemoteEndPoint);
            }
        });
        _ = Task.Run(async () =>
        {
            while (true)
            {
                Socket connection;
                try
                {
                    connection = await _tcp.AcceptAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
                using (connection)
                {
                    var query = await ServerFixture.TcpReadAsync(connection);
                    if (query is null)
                    {
                        continue;
                    }
                    Interlocked.Increment(ref _tcpQueries);
                    var answer = Answer(query, "192.0.2.1", truncated: false);
                    var framed = new byte[answer.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)answer.Length);
                    answer.CopyTo(framed, 2);
                    await connection.SendAsync(framed);
                }
            }
        });
    }

    public IPEndPoint Endpoint => (IPEndPoint)_udp.LocalEndPoint!;

    public int UdpQueries => Volatile.Read(ref _udpQueries);

    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    private static byte[] Answer(byte[] query, string address, bool truncated)
    {
        DnsQueryParser.Parse(query, out var parsed);
        var reply = query[..parsed.QuestionEnd].Concat(new byte[] { 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4 }).Concat(System.Net.IPAddress.Parse(address).GetAddressBytes()).ToArray();
        reply[2] = (byte)(0x81 | (truncated ? 0x02 : 0));
        reply[3] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), 1);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(10), 0);
        return reply;
    }

    public void Dispose()
    {
        _udp.Dispose();
        _tcp.Dispose();
    }
}
