using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harrier.Networking.Tests.Vips;

/// <summary>A client connection made from a test namespace: the name of the backend it reached, and an echo to
/// check it still works. Every step is bounded.</summary>
internal sealed class TestConnection : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(3);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private TestConnection(Socket socket, string backend)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(_stream, Encoding.ASCII);
        Backend = backend;
    }

    public string Backend { get; private set; }

    /// <summary>Connects and reads the backend's name; null when refused, unreachable or silent.</summary>
    public static async Task<TestConnection?> TryOpenAsync(string ns, string address, int port)
    {
        var socket = NamespaceSockets.In(ns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            using var limit = new CancellationTokenSource(Limit);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address), port), limit.Token);
            var connection = new TestConnection(socket, "");
            var name = await connection._reader.ReadLineAsync(limit.Token);
            if (name is null)
            {
                connection.Dispose();
                return null;
            }
            connection.Backend = name;
            return connection;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>The backend's name for one connection (closed again), or null.</summary>
    public static async Task<string?> BackendOfAsync(string ns, string address, int port)
    {
        using var connection = await TryOpenAsync(ns, address, port);
        return connection?.Backend;
    }

    /// <summary>Sends a line and returns the echo (<c>backend:line</c>), or null when the connection no longer works.</summary>
    public async Task<string?> EchoAsync(string line)
    {
        try
        {
            using var limit = new CancellationTokenSource(Limit);
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"), limit.Token);
            return await _reader.ReadLineAsync(limit.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return null;
        }
    }

    /// <summary>One UDP exchange: the name of the backend that answered, or null.</summary>
    public static async Task<string?> UdpAsync(string ns, string address, int port)
    {
        using var socket = NamespaceSockets.In(ns, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address), port), limit.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes("ping"), SocketFlags.None, limit.Token);
            var buffer = new byte[256];
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
    }
}
