using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests;

/// <summary>
/// Requests Kestrel itself rejects while the body is read, on the real server over a raw socket: a body cut short by a
/// client that went away is counted as the client's error (4xx), not logged as a server error; a body over the size
/// limit gets Kestrel's 413 in Marathon's message shape.
/// </summary>
public sealed class BadRequestTests
{
    [Theory]
    [InlineData("/harrier/v1/agents/register")]
    [InlineData("/v2/apps")]
    public async Task BodyCutShort_ByAClientThatWentAway_IsAClientErrorNotAServerError(string path)
    {
        await using var server = await HarrierDev.StartServerAsync();
        var metrics = await server.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        var clientErrors = Count(metrics, "4xx");
        var serverErrors = Count(metrics, "5xx");

        // Announces 1000 bytes, sends 9, closes its side: the server reads the body and finds it ended early.
        var answer = await SendRawAsync(server, path, contentLength: 1000, """[{"updat""", halfClose: true);

        Assert.Equal("", answer); // The client is gone: nothing to answer.
        await Eventually.TrueAsync(
            async () => Count(await server.Http.GetStringAsync("/metrics"), "4xx") == clientErrors + 1,
            TimeSpan.FromSeconds(10),
            "the cut-short request counted as a client error");
        Assert.Equal(serverErrors, Count(await server.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken), "5xx"));
        await AssertNoServerErrorAsync(server);
    }

    [Fact]
    public async Task BodyOverTheServersLimit_Is413InMarathonsShape()
    {
        await using var server = await HarrierDev.StartServerAsync();

        var answer = await SendRawAsync(server, "/v2/apps", contentLength: 9 * 1024 * 1024, """{"id":"/big","cmd":"x""", halfClose: false);

        Assert.StartsWith("HTTP/1.1 413 ", answer, StringComparison.Ordinal);
        var body = answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.Contains("too large", JsonNode.Parse(body)!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        await AssertNoServerErrorAsync(server);
    }

    private static int Count(string metrics, string statusClass) =>
        (int)Regex.Matches(metrics, $"(?m)^harrier_http_request_duration_seconds_count\\{{method=\"POST\",status=\"{statusClass}\"\\}} ([0-9]+)$")
            .Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    private static async Task AssertNoServerErrorAsync(HarrierDev server)
    {
        // The server still serves, and said nothing about an unhandled error.
        var info = await server.GetJsonAsync("/v2/info");
        Assert.NotNull(info["version"]);
        Assert.DoesNotContain("Unhandled", server.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fail:", server.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Sends a POST announcing <paramref name="contentLength"/> bytes but only <paramref name="partial"/>, optionally
    /// closes its sending side, and returns what came back: the whole response (its body sized by Content-Length), or
    /// everything until the server closed the connection.
    /// </summary>
    private static async Task<string> SendRawAsync(HarrierDev server, string path, int contentLength, string partial, bool halfClose)
    {
        var token = TestContext.Current.CancellationToken;
        using var client = new TcpClient();
        await client.ConnectAsync(server.BindAddress, server.Port, token);
        var socket = client.Client;
        var request = $"POST {path} HTTP/1.1\r\nHost: {server.BindAddress}\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\n\r\n{partial}";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, token);
        if (halfClose)
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(token);
        reading.CancelAfter(TimeSpan.FromSeconds(30));
        var answer = new StringBuilder();
        var buffer = new byte[8192];
        int read;
        while (!Complete(answer.ToString()) && (read = await socket.ReceiveAsync(buffer, SocketFlags.None, reading.Token)) > 0)
        {
            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return answer.ToString();
    }

    private static bool Complete(string answer)
    {
        var headerEnd = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headerEnd < 0)
        {
            return false;
        }
        var length = Regex.Match(answer[..headerEnd], "(?im)^Content-Length: *([0-9]+)");
        return length.Success && answer.Length - headerEnd - 4 >= int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
