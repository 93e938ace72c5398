using System.Net;
using System.Net.Sockets;
using Harrier.Cli.Tests.Fakes;
using Shouldly;
using Xunit;

namespace Harrier.Cli.Tests;

public sealed class ServerResolutionTests
{
    private const string Info = """{"name":"harrier","version":"0.1.0"}""";

    [Theory]
    [InlineData("info", null, "http://127.0.0.1:8080/v2/info")]
    [InlineData("info", "http://from-env.test:9090", "http://from-env.test:9090/v2/info")]
    [InlineData("info --server http://from-flag.test:7070", "http://from-env.test:9090", "http://from-flag.test:7070/v2/info")]
    [InlineData("info --server from-flag.test:7070", null, "http://from-flag.test:7070/v2/info")]
    [InlineData("info --server https://proxy.test/marathon/", null, "https://proxy.test/marathon/v2/info")]
    [InlineData("--server http://before-verb.test:1 info", null, "http://before-verb.test:1/v2/info")]
    public async Task Verb_ServerChoice_FlagThenEnvironmentThenDefault(string args, string? env, string expected)
    {
        var server = new FakeMarathon().OnJson("GET", new Uri(expected).AbsolutePath, Info);
        var environment = env is null ? null : new Dictionary<string, string> { ["HARRIER_URL"] = env };

        var result = await Cli.RunAsync(server, args, env: environment);

        result.ExitCode.ShouldBe(0, result.Error);
        server.Requests.Single().Uri.ShouldBe(new Uri(expected));
    }

    [Theory]
    [InlineData("info --server ftp://files.test", "error: invalid server URL 'ftp://files.test' (from --server): expected http://host:port\n")]
    [InlineData("info --server http://", "error: invalid server URL 'http://' (from --server): expected http://host:port\n")]
    public async Task Verb_InvalidServerUrl_IsAUsageError(string args, string expected)
    {
        var server = new FakeMarathon();

        var result = await Cli.RunAsync(server, args);

        result.ExitCode.ShouldBe(64);
        result.Error.ShouldBe(expected);
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Verb_NothingListening_SaysCannotReachAndExitsTwo()
    {
        // A port that was just free: nothing listens there, so the real socket handler gets "connection refused".
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Cli.RunAsync(handler: null, ["app", "list", "--server", $"http://127.0.0.1:{port}"]);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith($"error: cannot reach Harrier at http://127.0.0.1:{port}: ");
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Verb_TransportFails_SaysCannotReachWithTheCauseAndExitsTwo()
    {
        var handler = new LambdaHandler((_, _) => throw new HttpRequestException("Connection refused (harrier.test:8080)"));

        var result = await Cli.RunAsync(handler, ["info"], env: new Dictionary<string, string> { ["HARRIER_URL"] = "http://harrier.test:8080" });

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldBe("error: cannot reach Harrier at http://harrier.test:8080: Connection refused (harrier.test:8080)\n");
    }
}
