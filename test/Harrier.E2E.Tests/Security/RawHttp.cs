using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace Harrier.E2E.Tests.Security;

/// <summary>Requests written byte for byte over a socket (what HttpClient would refuse or rewrite), answers read raw.</summary>
internal static partial class RawHttp
{
    /// <summary>Sends <paramref name="request"/> and returns the whole answer (by Content-Length, or until the server closes).</summary>
    public static async Task<string> SendAsync(HarrierDev server, string request)
    {
        var token = TestContext.Current.CancellationToken;
        using var client = new TcpClient();
        await client.ConnectAsync(server.BindAddress, server.Port, token);
        var socket = client.Client;
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, token);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(token);
        reading.CancelAfter(TimeSpan.FromSeconds(30));
        var answer = new StringBuilder();
        var buffer = new byte[8192];
        int read;
        try
        {
            while (!Complete(answer.ToString()) && (read = await socket.ReceiveAsync(buffer, SocketFlags.None, reading.Token)) > 0)
            {
                answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (SocketException) when (answer.Length > 0)
        {
            // Reset after answering (the server does not read an oversized request to its end).
        }
        return answer.ToString();
    }

    /// <summary>The status code of a raw answer.</summary>
    public static int Status(string answer) => int.Parse(answer.Split(' ', 3)[1], CultureInfo.InvariantCulture);

    /// <summary>The JSON body of a raw answer (fails the test when it has none).</summary>
    public static JsonNode Body(string answer)
    {
        var start = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        Assert.True(start > 4 && answer.Length > start, "the answer has no body: " + answer);
        return JsonNode.Parse(answer[start..])!;
    }

    private static bool Complete(string answer)
    {
        var headerEnd = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headerEnd < 0)
        {
            return false;
        }
        var length = ContentLength().Match(answer[..headerEnd]);
        return length.Success && answer.Length - headerEnd - 4 >= int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("(?im)^Content-Length: *([0-9]+)")]
    private static partial Regex ContentLength();
}
