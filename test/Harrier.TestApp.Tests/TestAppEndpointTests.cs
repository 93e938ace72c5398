using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Harrier.TestApp.Tests;

public sealed class TestAppEndpointTests
{
    [Fact]
    public async Task Root_Default_AnswersNameAndVersion()
    {
        await using var app = await TestAppProcess.StartReadyAsync();

        (await app.GetAsync("/")).ShouldBe((HttpStatusCode.OK, "harrier-testapp v1"));
        (await app.GetAsync("/version")).ShouldBe((HttpStatusCode.OK, "v1"));
    }

    [Fact]
    public async Task Version_VersionStringFlag_WinsOverEnvironment()
    {
        await using var app = TestAppProcess.Start(["--version-string", "v7"], new Dictionary<string, string> { ["TESTAPP_VERSION"] = "env-version" });
        await app.WaitUntilListeningAsync(TimeSpan.FromSeconds(20));

        (await app.GetAsync("/version")).ShouldBe((HttpStatusCode.OK, "v7"));
    }

    [Fact]
    public async Task Version_EnvironmentOnly_UsesTestAppVersion()
    {
        await using var app = TestAppProcess.Start(env: new Dictionary<string, string> { ["TESTAPP_VERSION"] = "v3" });
        await app.WaitUntilListeningAsync(TimeSpan.FromSeconds(20));

        (await app.GetAsync("/")).ShouldBe((HttpStatusCode.OK, "harrier-testapp v3"));
    }

    [Fact]
    public async Task Port_NoFlag_ListensOnPort0FromEnvironment()
    {
        var port = TestAppProcess.FreePort();
        await using var app = TestAppProcess.Start(env: new Dictionary<string, string> { ["PORT0"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, passPort: false);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var body = await Harrier.Testing.Eventually.WaitAsync(
            async () => await http.GetStringAsync("/version"), TimeSpan.FromSeconds(20), $"the app on PORT0={port}");

        body.ShouldBe("v1");
    }

    [Fact]
    public async Task Health_FlippedAtRuntime_FollowsEachFlip()
    {
        await using var app = await TestAppProcess.StartReadyAsync();

        (await app.GetAsync("/health")).ShouldBe((HttpStatusCode.OK, "healthy"));
        (await app.PostAsync("/health/fail")).ShouldBe((HttpStatusCode.OK, "unhealthy"));
        (await app.GetAsync("/health")).ShouldBe((HttpStatusCode.ServiceUnavailable, "unhealthy"));
        (await app.PostAsync("/health/ok")).ShouldBe((HttpStatusCode.OK, "healthy"));
        (await app.GetAsync("/health")).ShouldBe((HttpStatusCode.OK, "healthy"));
    }

    [Fact]
    public async Task Health_UnhealthyFlag_StartsUnhealthy()
    {
        await using var app = await TestAppProcess.StartReadyAsync("--unhealthy");

        (await app.GetAsync("/health")).ShouldBe((HttpStatusCode.ServiceUnavailable, "unhealthy"));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(500)]
    [InlineData(204)]
    public async Task Health_StatusSetAtRuntime_AnswersThatStatus(int code)
    {
        await using var app = await TestAppProcess.StartReadyAsync();

        var (status, _) = await app.PostAsync($"/health/status/{code}");
        status.ShouldBe(HttpStatusCode.OK);
        // A client following redirects would report the target's answer, not the app's.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Http.BaseAddress };
        using var response = await http.GetAsync("/health");

        ((int)response.StatusCode).ShouldBe(code);
    }

    [Fact]
    public async Task Health_StatusFlag102_AnswersProcessingOnTheWire()
    {
        await using var app = await TestAppProcess.StartReadyAsync("--health-status", "102");

        // HttpClient swallows 1xx as interim answers, so read the raw status line.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, app.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray());
        using var reader = new StreamReader(stream);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));

        statusLine.ShouldBe("HTTP/1.1 102 Processing");
    }

    [Fact]
    public async Task Https_Flag_ServesTheEndpointsWithASelfSignedCertificate()
    {
        await using var app = await TestAppProcess.StartReadyAsync("--https");
        X509Certificate2? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
            {
                seen = cert is null ? null : new X509Certificate2(cert);
                return errors == System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;
            },
        };
        using var https = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };

        using var response = await https.GetAsync($"https://127.0.0.1:{app.Port}/health", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe("healthy");
        seen.ShouldNotBeNull().Subject.ShouldBe("CN=harrier-testapp");
        seen.Issuer.ShouldBe("CN=harrier-testapp");
        seen.Dispose();
        app.Output.ShouldContain(l => l.EndsWith("(https)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_StatusOutOfRange_IsRejected()
    {
        await using var app = await TestAppProcess.StartReadyAsync();

        (await app.PostAsync("/health/status/42")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await app.GetAsync("/health")).ShouldBe((HttpStatusCode.OK, "healthy"));
    }

    [Fact]
    public async Task Ready_FlippedAtRuntime_FollowsEachFlip()
    {
        await using var app = await TestAppProcess.StartReadyAsync();

        (await app.GetAsync("/ready")).ShouldBe((HttpStatusCode.OK, "ready"));
        (await app.PostAsync("/ready/fail")).ShouldBe((HttpStatusCode.OK, "not ready"));
        (await app.GetAsync("/ready")).ShouldBe((HttpStatusCode.ServiceUnavailable, "not ready"));
        (await app.PostAsync("/ready/ok")).ShouldBe((HttpStatusCode.OK, "ready"));
        (await app.GetAsync("/ready")).ShouldBe((HttpStatusCode.OK, "ready"));
    }

    [Fact]
    public async Task Ready_NotReadyFlag_StartsNotReadyButHealthy()
    {
        await using var app = await TestAppProcess.StartReadyAsync("--not-ready");

        (await app.GetAsync("/ready")).ShouldBe((HttpStatusCode.ServiceUnavailable, "not ready"));
        (await app.GetAsync("/health")).ShouldBe((HttpStatusCode.OK, "healthy"));
    }

    [Fact]
    public async Task Ready_ReadyAfterMs_NotReadyThenReady()
    {
        await using var app = await TestAppProcess.StartReadyAsync("--ready-after-ms", "6000");

        (await app.GetAsync("/ready")).Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        await Harrier.Testing.Eventually.TrueAsync(
            async () => (await app.GetAsync("/ready")).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "/ready to turn 200");
    }

    [Fact]
    public async Task Env_Get_ReturnsProcessEnvironmentAsJson()
    {
        await using var app = TestAppProcess.Start(env: new Dictionary<string, string> { ["MARATHON_APP_ID"] = "/web/api", ["PORT0"] = "1234" });
        await app.WaitUntilListeningAsync(TimeSpan.FromSeconds(20));

        var (status, body) = await app.GetAsync("/env");
        var env = JsonSerializer.Deserialize<Dictionary<string, string>>(body)!;

        status.ShouldBe(HttpStatusCode.OK);
        env["MARATHON_APP_ID"].ShouldBe("/web/api");
        env["PORT0"].ShouldBe("1234");
    }

    [Fact]
    public async Task Requests_Any_LogOneLinePerRequestToStdout()
    {
        await using var app = await TestAppProcess.StartReadyAsync();

        await app.GetAsync("/version");
        await app.PostAsync("/health/fail");

        await Harrier.Testing.Eventually.TrueAsync(
            () => app.Output.Any(l => l.StartsWith("POST /health/fail 200 ", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), "the request log line");
        app.Output.ShouldContain(l => l.StartsWith("GET /version 200 ", StringComparison.Ordinal));
    }
}
