using Harrier.LoadBalancer.Cli;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Cli;

public sealed class LbArgumentsTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public void Parse_MarathonLbCommandLine_TakesItsNamesAndMeanings()
    {
        var s = LbArguments.Parse(
            ["sse", "--marathon", "http://m1:8080", "http://m2:8080", "--group", "external", "--group", "internal", "--haproxy-map", "--strict-mode", "-H",
             "--dont-bind-http-https", "--ssl-certs", "/a.pem,/b.pem", "--max-reload-retries", "10", "--reload-interval", "10"],
            render: false, NoEnvironment, out var error);
        // "sse" is marathon-lb's positional mode; Harrier has only the event-driven one.
        s.ShouldBeNull();
        error.ShouldBe("unknown flag sse");
        s = LbArguments.Parse(
            ["--marathon", "http://m1:8080", "http://m2:8080", "--group", "external", "--group", "internal", "--haproxy-map", "--strict-mode", "-H",
             "--dont-bind-http-https", "--ssl-certs", "/a.pem,/b.pem", "--max-reload-retries", "10", "--sse"],
            render: false, NoEnvironment, out error);
        error.ShouldBeNull();
        s!.Servers.Select(u => u.ToString()).ShouldBe(["http://m1:8080/", "http://m2:8080/"]);
        s.Render.Groups.ShouldBe(["external", "internal"]);
        s.Render.HaproxyMap.ShouldBeTrue();
        s.Render.StrictMode.ShouldBeTrue();
        s.Render.HealthCheck.ShouldBeTrue();
        s.Render.BindHttpHttps.ShouldBeFalse();
        s.Render.SslCerts.ShouldBe(["/a.pem", "/b.pem"]);
        s.IgnoredFlags.ShouldBe(["--max-reload-retries", "--sse"]);
        s.Render.Live.ShouldNotBeNull();
    }

    [Fact]
    public void Parse_AlwaysReload_SetOnlyWhenGivenAndNotForRender()
    {
        LbArguments.Parse(["--group", "external"], render: false, NoEnvironment, out _)!.AlwaysReload.ShouldBeFalse();
        LbArguments.Parse(["--group", "external", "--always-reload"], render: false, NoEnvironment, out var error)!.AlwaysReload.ShouldBeTrue();
        error.ShouldBeNull();
        LbArguments.Parse(["--group", "external", "--apps", "a.json", "--always-reload"], render: true, NoEnvironment, out error).ShouldBeNull();
        error.ShouldBe("unknown flag --always-reload");
    }

    [Fact]
    public void Parse_NoGroup_RefusedAsMarathonLbDid()
    {
        LbArguments.Parse(["--server", "http://h:8080"], render: false, NoEnvironment, out var error).ShouldBeNull();
        error!.ShouldContain("--group is required");
    }

    [Theory]
    [InlineData("--http-port", "0")]
    [InlineData("--stats-port", "70000")]
    [InlineData("--bind-address", "example.com")]
    [InlineData("--stats-auth", "nocolon")]
    [InlineData("--stats-auth", "user:pa ss")]
    [InlineData("--group", "bad group")]
    [InlineData("--server", "ftp://x")]
    [InlineData("--balancer-id", "Upper")]
    [InlineData("--resolve", "agent1=not-an-ip")]
    public void Parse_BadValue_ClearError(string flag, string value)
    {
        var args = flag == "--group" ? new[] { flag, value } : new[] { "--group", "external", flag, value };
        LbArguments.Parse(args, render: false, NoEnvironment, out var error).ShouldBeNull();
        error.ShouldNotBeNull();
        error.ShouldContain(flag);
    }

    [Fact]
    public void Parse_Render_DefaultsToMarathonLbPathsAndTakesTemplateEnvironment()
    {
        var env = new Dictionary<string, string> { ["HAPROXY_HEAD"] = "x", ["PATH"] = "/bin", ["FRAMEWORK_NAME"] = "marathon-lb" };
        var s = LbArguments.Parse(["--apps", "apps.json", "--group", "*", "--resolve", "agent1=10.0.0.1"], render: true, env, out var error);
        error.ShouldBeNull();
        s!.Render.Live.ShouldBeNull();
        s.Render.ConfigFile.ShouldBe("/etc/haproxy/haproxy.cfg");
        s.Render.Environment.Keys.OrderBy(k => k, StringComparer.Ordinal).ShouldBe(["FRAMEWORK_NAME", "HAPROXY_HEAD"]);
        s.Render.Resolve("agent1").ShouldBe("10.0.0.1");
        s.Render.Resolve("10.1.2.3").ShouldBe("10.1.2.3");
    }

    [Fact]
    public void Parse_RenderWithoutApps_Refused()
    {
        LbArguments.Parse(["--group", "external"], render: true, NoEnvironment, out var error).ShouldBeNull();
        error!.ShouldContain("--apps");
    }

    [Fact]
    public void Parse_HaproxyConfig_MovesTheConfigAndItsMaps()
    {
        var s = LbArguments.Parse(["--group", "external", "--work-dir", "/tmp/w", "--haproxy-config", "/tmp/cfg/haproxy.cfg"], render: false, NoEnvironment, out _);
        s!.Paths.ConfigFile.ShouldBe("/tmp/cfg/haproxy.cfg");
        s.Paths.DomainMapFile.ShouldBe("/tmp/cfg/domain2backend.map");
        s.Paths.StatsSocket.ShouldBe("/tmp/w/haproxy.sock");
        s.Render.ConfigFile.ShouldBe("/tmp/cfg/haproxy.cfg");
    }

    [Fact]
    public void Parse_Token_FromEnvironment()
    {
        var s = LbArguments.Parse(["--group", "external"], render: false, new Dictionary<string, string> { ["HARRIER_TOKEN"] = " t0k " }, out _);
        s!.BearerToken.ShouldBe("t0k");
        s.BalancerId.ShouldEndWith("-9090");
    }
}
