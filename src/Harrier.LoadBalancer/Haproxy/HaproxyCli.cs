using System.Net.Sockets;
using System.Text;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// One command over a HAProxy UNIX socket (the runtime API or the master CLI), non-interactive: send the line, shut
/// the write side (the master CLI waits for it), read until HAProxy closes. Every exchange is bounded by the timeout
/// and the answer by <see cref="MaxAnswer"/>; a wedged socket gives a <see cref="TimeoutException"/>, never a hang.
/// With <paramref name="prefix"/> <c>"@1 "</c> the master CLI forwards the command to the current worker at admin
/// level: the config's own <c>stats socket</c> line (marathon-lb's has no <c>level admin</c>) then only matters for
/// the seamless reload's <c>expose-fd listeners</c>.
/// </summary>
internal sealed class HaproxyCli(string socketPath, TimeSpan timeout, TimeProvider time, string prefix = "")
{
    public const int MaxAnswer = 32 << 20;

    public string SocketPath => socketPath;

    public async Task<string> SendAsync(string command, CancellationToken ct)
    {
        if (command.Contains('\n') || command.Contains('\r') || command.Contains(';'))
        {
            throw new ArgumentException("A runtime API command is one line without ';'.", nameof(command));
        }
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), linked.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes(prefix + command + "\n"), SocketFlags.None, linked.Token);
            socket.Shutdown(SocketShutdown.Send);
            var answer = new MemoryStream();
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token);
                if (n == 0)
                {
                    break;
                }
                if (answer.Length + n > MaxAnswer)
                {
                    throw new InvalidDataException($"HAProxy's answer to '{command}' on {socketPath} exceeds {MaxAnswer} bytes");
                }
                answer.Write(buffer, 0, n);
            }
            return Encoding.UTF8.GetString(answer.GetBuffer(), 0, (int)answer.Length);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"HAProxy did not answer '{command}' on {socketPath} within {timeout.TotalSeconds:0.#}s");
        }
    }

    /// <summary>True when the socket answers a harmless command.</summary>
    public async Task<bool> AnswersAsync(string probe, CancellationToken ct)
    {
        try
        {
            return (await SendAsync(probe, ct)).Length > 0;
        }
        catch (Exception e) when (e is SocketException or TimeoutException or IOException or InvalidDataException)
        {
            return false;
        }
    }
}
