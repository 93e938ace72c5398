using System.Net.Sockets;
using System.Text;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Security;

/// <summary>
/// Issue 14: an event-stream client that stops reading is disconnected while it is stalled, once it falls 1,024
/// events behind (before, the server stayed blocked writing to it until the client itself closed, then logged an
/// unhandled exception). A second client that keeps reading sees the stalled one detach.
/// </summary>
public sealed class StalledEventStreamTests
{
    [Fact]
    public async Task StalledClient_FallsBehind_IsDisconnectedWhileStillConnected()
    {
        var token = TestContext.Current.CancellationToken;
        await using var server = await HarrierDev.StartServerAsync();
        using var watcher = new EventWatcher(server);
        await watcher.WaitForAsync("event_stream_attached", 1);

        // The stalled client: subscribes with a tiny receive buffer, then never reads again.
        using var stalled = new TcpClient { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(server.BindAddress, server.Port, token);
        await stalled.Client.SendAsync(Encoding.ASCII.GetBytes($"GET /v2/events HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nAccept: text/event-stream\r\n\r\n"), SocketFlags.None, token);
        await watcher.WaitForAsync("event_stream_attached", 2);

        // Far more than 1,024 events of a few KB each: more than every buffer between the server and the client holds.
        var labels = string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"label{i}\":\"{new string('v', 60)}\""));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        for (var i = 0; watcher.Count("event_stream_detached") == 0 && DateTime.UtcNow < deadline; i++)
        {
            var app = $$"""{"id":"/flood/app-{{i}}","cmd":"sleep 1","instances":0,"labels":""" + "{" + labels + "}}";
            using var content = new StringContent(app, Encoding.UTF8, "application/json");
            (await server.Http.PostAsync("/v2/apps", content, token)).EnsureSuccessStatusCode();
        }

        Assert.True(watcher.Count("event_stream_detached") > 0, $"the stalled client was not disconnected after {watcher.Count("api_post_event")} posts; server output:\n{server.Output}");
        Assert.True(stalled.Connected);
        await Eventually.TrueAsync(() => server.Output.Contains("fell 1024 events behind and was disconnected", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the information line about the disconnect");
        Assert.DoesNotContain("Unhandled", server.Output, StringComparison.OrdinalIgnoreCase);
        // What the stalled client finds when it reads again: what was buffered, then the end of the connection.
        await Eventually.TrueAsync(async () => await DrainedToEndAsync(stalled.Client), TimeSpan.FromSeconds(20), "the stalled client's connection to end");
    }

    private static async Task<bool> DrainedToEndAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            using var once = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, once.Token) > 0)
            {
            }
            return true;
        }
        catch (SocketException)
        {
            return true; // Reset: the server aborted the connection.
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A client that keeps reading the event stream and counts event types.</summary>
    private sealed class EventWatcher : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Dictionary<string, int> _counts = [];
        private readonly Task _reading;

        public EventWatcher(HarrierDev server) => _reading = ReadAsync(server);

        public int Count(string type)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(type);
            }
        }

        public Task WaitForAsync(string type, int count) =>
            Eventually.TrueAsync(() => Count(type) >= count, TimeSpan.FromSeconds(20), $"{count} {type} event(s)");

        private async Task ReadAsync(HarrierDev server)
        {
            using var http = new HttpClient { BaseAddress = server.Url, Timeout = Timeout.InfiniteTimeSpan };
            // Only the types it counts: deployment events carry whole root groups (Marathon's heavy plans), which grow
            // with every flood app, and a watcher reading all of them on a busy machine could fall behind itself.
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/events?event_type=event_stream_attached&event_type=event_stream_detached&event_type=api_post_event");
            request.Headers.Accept.ParseAdd("text/event-stream");
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        lock (_counts)
                        {
                            _counts[line[7..]] = _counts.GetValueOrDefault(line[7..]) + 1;
                        }
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
            {
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _reading.Wait(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }
}
