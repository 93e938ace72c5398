using Harrier.Agent.Health;
using Harrier.Core.Apps;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests.Health;

/// <summary>Each protocol against a real harrier-testapp process (and a closed port, and real shell commands).</summary>
[Collection(HealthProcessCollection.Name)]
public sealed class HealthCheckProbeTests(TestAppFixture apps) : IClassFixture<TestAppFixture>, IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("harrier-health-").FullName;

    private CheckTarget Target => new(new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["MESOS_SANDBOX"] = _sandbox, ["GREETING"] = "hi" }, _sandbox);

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    private Task<ProbeOutcome> ProbeAsync(HealthCheckSpec spec, int? port) =>
        HealthCheckProbe.RunAsync(spec, port, Target, TimeProvider.System, TestContext.Current.CancellationToken);

    private async Task<ProbeOutcome> HttpAsync(int status, HealthCheckProtocol protocol = HealthCheckProtocol.Http, bool ignore1xx = false)
    {
        await apps.Http.PostAsync($"/health/status/{status}");
        return await ProbeAsync(new HealthCheckSpec { Protocol = protocol, Path = "/health", IgnoreHttp1xx = ignore1xx, TimeoutSeconds = 5 }, apps.Http.Port);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(302)]
    [InlineData(399)]
    public async Task Http_Status200To399_IsHealthy(int status)
    {
        (await HttpAsync(status)).ShouldBe(ProbeOutcome.Healthy);
    }

    [Fact]
    public async Task Http_Status500_FailsWithTheStatusText()
    {
        (await HttpAsync(500)).ShouldBe(ProbeOutcome.Unhealthy("500 Internal Server Error"));
        (await HttpAsync(503)).ShouldBe(ProbeOutcome.Unhealthy("503 Service Unavailable"));
    }

    [Fact]
    public async Task Http_Status102_IgnoredOnlyWithIgnoreHttp1xx()
    {
        (await HttpAsync(102, ignore1xx: true)).ShouldBe(ProbeOutcome.Ignored);
        (await HttpAsync(102, ignore1xx: false)).ShouldBe(ProbeOutcome.Unhealthy("102 Processing"));
        // MESOS_HTTP ignores the flag.
        (await HttpAsync(102, HealthCheckProtocol.MesosHttp, ignore1xx: true)).ShouldBe(ProbeOutcome.Unhealthy("102 Processing"));
    }

    [Fact]
    public async Task MesosHttp_Status200And500_PassesAndFails()
    {
        (await HttpAsync(200, HealthCheckProtocol.MesosHttp)).ShouldBe(ProbeOutcome.Healthy);
        (await HttpAsync(500, HealthCheckProtocol.MesosHttp)).ShouldBe(ProbeOutcome.Unhealthy("500 Internal Server Error"));
    }

    [Theory]
    [InlineData(HealthCheckProtocol.Https)]
    [InlineData(HealthCheckProtocol.MesosHttps)]
    public async Task Https_SelfSignedCertificate_IsTrustedAndTheStatusJudged(HealthCheckProtocol protocol)
    {
        (await ProbeAsync(new HealthCheckSpec { Protocol = protocol, Path = "/health", TimeoutSeconds = 5 }, apps.Https.Port)).ShouldBe(ProbeOutcome.Healthy);
        (await ProbeAsync(new HealthCheckSpec { Protocol = protocol, Path = "/missing", TimeoutSeconds = 5 }, apps.Https.Port)).ShouldBe(ProbeOutcome.Unhealthy("404 Not Found"));
    }

    [Fact]
    public async Task Https_AgainstPlainHttp_FailsWithACause()
    {
        await apps.Http.PostAsync("/health/ok");

        var outcome = await ProbeAsync(new HealthCheckSpec { Protocol = HealthCheckProtocol.Https, Path = "/health", TimeoutSeconds = 5 }, apps.Http.Port);

        outcome.Verdict.ShouldBe(ProbeVerdict.Unhealthy);
        outcome.Cause.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Http_ClosedPort_FailsWithTheConnectionError()
    {
        var outcome = await ProbeAsync(new HealthCheckSpec { Protocol = HealthCheckProtocol.Http, TimeoutSeconds = 5 }, TestAppHost.FreePort());

        outcome.Verdict.ShouldBe(ProbeVerdict.Unhealthy);
        outcome.Cause.ShouldBe("Connection refused");
    }

    [Fact]
    public async Task Http_ServerNeverAnswers_FailsAfterTheTimeout()
    {
        // The kernel completes the handshake from the backlog; nobody ever reads or answers.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var started = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await ProbeAsync(new HealthCheckSpec { Protocol = HealthCheckProtocol.Http, TimeoutSeconds = 1 }, port);

        outcome.ShouldBe(ProbeOutcome.Unhealthy("Timed out after 1s"));
        started.Elapsed.ShouldBeInRange(TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(HealthCheckProtocol.Tcp)]
    [InlineData(HealthCheckProtocol.MesosTcp)]
    public async Task Tcp_OpenAndClosedPort_PassesAndFails(HealthCheckProtocol protocol)
    {
        var spec = new HealthCheckSpec { Protocol = protocol, TimeoutSeconds = 5 };

        (await ProbeAsync(spec, apps.Http.Port)).ShouldBe(ProbeOutcome.Healthy);
        (await ProbeAsync(spec, TestAppHost.FreePort())).ShouldBe(ProbeOutcome.Unhealthy("Connection refused"));
    }

    [Fact]
    public async Task Http_NoPort_Fails()
    {
        (await ProbeAsync(new HealthCheckSpec(), null)).Verdict.ShouldBe(ProbeVerdict.Unhealthy);
    }

    [Fact]
    public async Task Command_ExitZeroInSandboxWithTaskEnvironment_IsHealthy()
    {
        var spec = new HealthCheckSpec { Protocol = HealthCheckProtocol.Command, Command = "test \"$(pwd)\" = \"$MESOS_SANDBOX\" && test \"$GREETING\" = hi", TimeoutSeconds = 5 };

        (await ProbeAsync(spec, null)).ShouldBe(ProbeOutcome.Healthy);
    }

    [Fact]
    public async Task Command_OfANonRootTask_RunsAsTheTaskUserNotAsTheAgent()
    {
        Assert.SkipWhen(Requirements.Root() is not null, Requirements.Root() ?? "");
        var spec = new HealthCheckSpec { Protocol = HealthCheckProtocol.Command, Command = "test \"$(id -u)\" = 65534 && test \"$(id -g)\" = 65534", TimeoutSeconds = 5 };

        var outcome = await HealthCheckProbe.RunAsync(spec, null, Target with { User = "nobody" }, TimeProvider.System, TestContext.Current.CancellationToken);

        outcome.ShouldBe(ProbeOutcome.Healthy);
    }

    [Fact]
    public async Task Command_OfAUserTheHostLacks_IsUnhealthyAndRunsNothing()
    {
        var spec = new HealthCheckSpec { Protocol = HealthCheckProtocol.Command, Command = "exit 0", TimeoutSeconds = 5 };

        var outcome = await HealthCheckProbe.RunAsync(spec, null, Target with { User = "no-such-user-here" }, TimeProvider.System, TestContext.Current.CancellationToken);

        outcome.ShouldBe(ProbeOutcome.Unhealthy("the task's user 'no-such-user-here' does not exist"));
    }

    [Fact]
    public async Task Command_ExitOne_FailsWithTheExitStatus()
    {
        var spec = new HealthCheckSpec { Protocol = HealthCheckProtocol.Command, Command = "exit 1", TimeoutSeconds = 5 };

        (await ProbeAsync(spec, null)).ShouldBe(ProbeOutcome.Unhealthy("exit status 1"));
    }

    [Fact]
    public async Task Command_Timeout_KillsTheProcessGroupAndFails()
    {
        var marker = Path.Combine(_sandbox, "child.pid");
        var spec = new HealthCheckSpec { Protocol = HealthCheckProtocol.Command, Command = $"sleep 30 & echo $! > {marker}; wait", TimeoutSeconds = 1 };
        var started = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await ProbeAsync(spec, null);

        outcome.ShouldBe(ProbeOutcome.Unhealthy("Command timed out after 1s"));
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        var child = int.Parse(File.ReadAllText(marker).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        // The backgrounded sleep was in the check's process group, so it died too (it may linger briefly as a zombie of init).
        await Harrier.Testing.Eventually.TrueAsync(() => !File.Exists($"/proc/{child}/status") || File.ReadAllText($"/proc/{child}/status").Contains("State:\tZ", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the check's child to die");
    }

    [Theory]
    [InlineData(HealthCheckProtocol.Http, null, "/")]
    [InlineData(HealthCheckProtocol.Http, "health", "/health")]
    [InlineData(HealthCheckProtocol.Https, "/health", "/health")]
    [InlineData(HealthCheckProtocol.MesosHttp, "health", "health")]
    [InlineData(HealthCheckProtocol.MesosHttps, null, "/")]
    public void PathOf_ByProtocol_FollowsMarathonAndMesos(HealthCheckProtocol protocol, string? path, string expected)
    {
        HealthCheckProbe.PathOf(new HealthCheckSpec { Protocol = protocol, Path = path }).ShouldBe(expected);
    }
}
