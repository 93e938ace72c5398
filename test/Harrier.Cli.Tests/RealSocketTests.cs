using Harrier.Cli.Tests.Fakes;
using Harrier.Client;
using Shouldly;
using Xunit;

namespace Harrier.Cli.Tests;

/// <summary>The client over real loopback sockets (a raw HTTP/1.1 server), where timeouts and chunked bodies are real.</summary>
public sealed class RealSocketTests
{
    [Fact]
    public async Task StreamLogsAsync_FollowOutlastsRequestTimeout_KeepsStreaming()
    {
        using var server = new RawHttpServer();
        var ct = TestContext.Current.CancellationToken;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serve = Task.Run(async () =>
        {
            var (requestLine, write, close) = await server.AcceptAsync(ct);
            await write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" + RawHttpServer.Chunk("one\n"));
            await release.Task;
            await write(RawHttpServer.Chunk("two\n") + "0\r\n\r\n");
            close();
            return requestLine;
        }, ct);
        using var client = new HarrierClient(server.Url, handler: null) { RequestTimeout = TimeSpan.FromSeconds(2) };
        var received = new List<string>();

        await foreach (var chunk in client.StreamLogsAsync("/prod/web", "prod_web.1", follow: true).WithCancellation(ct))
        {
            received.Add(chunk);
            if (string.Concat(received) == "one\n")
            {
                // Time has to pass beyond RequestTimeout to show that it does not cut a followed stream. (The timeout is
                // generous because a cold HTTP stack on a busy machine can take most of a second to connect.)
                await Task.Delay(TimeSpan.FromSeconds(2.5), ct);
                release.SetResult();
            }
        }

        string.Concat(received).ShouldBe("one\ntwo\n");
        (await serve.WaitAsync(TimeSpan.FromSeconds(10), ct)).ShouldBe("GET /v2/apps/prod/web/tasks/prod_web.1/logs?stream=stdout&follow=true HTTP/1.1");
    }

    [Fact]
    public async Task CliApp_RealServerAnswersError_PrintsItAndExitsOne()
    {
        using var server = new RawHttpServer();
        var ct = TestContext.Current.CancellationToken;
        var serve = Task.Run(async () =>
        {
            var (requestLine, write, close) = await server.AcceptAsync(ct);
            const string body = """{"message":"App '/prod/web' does not exist"}""";
            await write($"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}");
            close();
            return requestLine;
        }, ct);

        var result = await Cli.RunAsync(handler: null, ["app", "show", "/prod/web"], env: new Dictionary<string, string> { ["HARRIER_URL"] = $"127.0.0.1:{server.Url.Port}" });

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe("error: App '/prod/web' does not exist (HTTP 404)\n");
        (await serve.WaitAsync(TimeSpan.FromSeconds(10), ct)).ShouldBe("GET /v2/apps/prod/web HTTP/1.1");
    }
}
