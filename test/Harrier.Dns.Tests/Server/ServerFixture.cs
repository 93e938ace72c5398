using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Harrier.Dns.Server;
using Harrier.Dns.Zones;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harrier.Dns.Tests.Server;

/// <summary>A real server on 127.0.0.1 (port picked), and plain-socket clients with bounded waits.</summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    private ServerFixture(DnsServer server) => Server = server;

    public DnsServer Server { get; }

    public IPEndPoint Endpoint => Server.Endpoint;

    public static ServerFixture Start(DnsServerOptions? options = null, ZoneSnapshot? zone = null)
    {
        // Never the machine's resolvers: no upstream unless a test gives its fake one.
        options ??= new DnsServerOptions { Recursion = false };
        var server = new DnsServer(options with { Address = IPAddress.Loopback, Port = 0, UdpThreads = 2 }, new FixedZoneSource(zone ?? TestZones.Small()), NullLogger.Instance);
        server.Start();
        return new ServerFixture(server);
    }

    public async Task<byte[]?> UdpAsync(byte[] query, TimeSpan? wait = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(Endpoint);
        await socket.SendAsync(query);
        var buffer = new byte[65535];
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(5));
        try
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return buffer[..n];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public static async Task<byte[]?> TcpExchangeAsync(Socket socket, byte[] query)
    {
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await socket.SendAsync(framed);
        return await TcpReadAsync(socket);
    }

    public static async Task<byte[]?> TcpReadAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var prefix = new byte[2];
        if (!await TcpFraming.ReadExactlyAsync(socket, prefix, timeout.Token))
        {
            return null;
        }
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        return await TcpFraming.ReadExactlyAsync(socket, body, timeout.Token) ? body : null;
    }

    public async Task<Socket> ConnectTcpAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(Endpoint);
        return socket;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
