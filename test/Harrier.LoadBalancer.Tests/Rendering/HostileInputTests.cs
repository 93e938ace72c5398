using System.Text.Json.Nodes;
using Harrier.LoadBalancer.Marathon;
using Harrier.LoadBalancer.Rendering;
using Harrier.LoadBalancer.Tests.Marathon;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Rendering;

/// <summary>
/// Everything in the apps body is untrusted: a label that could add lines or sections to the config, a malformed port
/// or a field of the wrong type drops that app, service or task with a warning, never the render; the others still
/// render.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly LbOptions Options = new();

    public static TheoryData<string, string> InjectingLabels() => new()
    {
        { "HAPROXY_0_VHOST", "a.example.com\nbackend evil" },
        { "HAPROXY_0_VHOST", "a.example.com\r\nlisten evil" },
        { "HAPROXY_0_VHOST", "a.example.com b.example.com" },
        { "HAPROXY_0_PATH", "/a\nfrontend evil" },
        { "HAPROXY_0_PATH", "/a\u0000" },
        { "HAPROXY_0_AUTH", "realm:user:pass\nuserlist evil" },
        { "HAPROXY_0_AUTH", "re\"alm:user:pass" },
        { "HAPROXY_0_AUTH", "only-two:parts" },
        { "HAPROXY_0_BIND_OPTIONS", "ssl\nbackend evil" },
        { "HAPROXY_0_BIND_OPTIONS", "ssl\u001b[0m" },
        { "HAPROXY_0_BIND_ADDR", "0.0.0.0 \n" },
        { "HAPROXY_0_BALANCE", "roundrobin\r" },
        { "HAPROXY_0_MODE", "http\nbackend evil" },
        { "HAPROXY_0_MODE", "health" },
        { "HAPROXY_0_PORT", "80a" },
        { "HAPROXY_0_PORT", "70000" },
        { "HAPROXY_0_BACKEND_WEIGHT", "heavy" },
        { "HAPROXY_0_HTTP_BACKEND_PROXYPASS_PATH", "/x\" \"/y" },
        { "HAPROXY_0_BACKEND_NETWORK_ALLOWED_ACL", "10.0.0.0/8\nbackend evil" },
        { "HAPROXY_0_FRONTEND_HEAD", "\nfrontend {backend}\n  bind *:1\nbackend evil\n" },
        { "HAPROXY_0_FRONTEND_HEAD", "\n  bind *:1\n" },
        { "HAPROXY_0_BACKEND_HTTP_OPTIONS", "  option forwardfor\nlisten evil\n" },
        { "HAPROXY_0_BACKEND_SERVER_OPTIONS", "  server x {host_ipv4}:{port}\u0007\n" },
        { "HAPROXY_0_BACKEND_SERVER_OPTIONS", "  server {serverName} {nosuchplaceholder}\n" },
        { "HAPROXY_0_FRONTEND_BACKEND_GLUE", "  use_backend {backend\n" },
    };

    [Theory]
    [MemberData(nameof(InjectingLabels))]
    public void Render_LabelThatCouldInjectConfig_DropsThatServiceWithAWarning(string label, string value)
    {
        var body = AppsBuilder.Body(
            AppsBuilder.App("/evil", 10001, (label, value), ("HAPROXY_0_VHOST_IGNORED", "x")),
            AppsBuilder.App("/good", 10002));

        var result = LbRenderer.Render(body, Options);

        result.Config.ShouldNotContain("evil_10001");
        result.Config.ShouldNotContain("evil\n");
        result.Config.ShouldNotContain("\r");
        result.Config.ShouldContain("backend good_10002\n");
        result.Warnings.ShouldContain(w => w.Contains("/evil", StringComparison.Ordinal));
        result.Servers.ShouldAllBe(s => s.AppId == "/good");
    }

    [Fact]
    public void Render_MultiLineTemplateOverrideInsideItsSection_IsKept()
    {
        var body = AppsBuilder.Body(AppsBuilder.App("/app", 10001, ("HAPROXY_0_BACKEND_HEAD", "\r\nbackend {backend}\r\n  balance {balance}\r\n  mode {mode}\r\n  option tcplog\r\n")));

        var result = LbRenderer.Render(body, Options);

        result.Warnings.ShouldBeEmpty();
        result.Config.ShouldContain("\nbackend app_10001\n  balance roundrobin\n  mode tcp\n  option tcplog\n");
    }

    public static TheoryData<string> MalformedApps() =>
    [
        """{"id": 5}""",
        """{"id": "/bad app"}""",
        """{"id": "/bad\napp"}""",
        """{"id": "/bad;app"}""",
        """{"id": "/x", "labels": {"HAPROXY_GROUP": 7}}""",
        """{"id": "/x", "labels": []}""",
        """{"id": "/x", "portDefinitions": [{"port": "10000"}]}""",
        """{"id": "/x", "portDefinitions": [{"port": 99999}]}""",
        """{"id": "/x", "portDefinitions": {"port": 1}}""",
        """{"id": "/x", "tasks": "none"}""",
        """{"id": "/x", "healthChecks": [{"protocol": "HTTP", "path": "/ok\nbackend evil", "portIndex": 0}]}""",
        """{"id": "/x", "healthChecks": [{"protocol": "HTTP", "intervalSeconds": "often"}]}""",
        """{"id": "/x", "networks": [{"mode": "wormhole"}]}""",
        """{"id": "/x", "container": {"docker": {"portMappings": [{"servicePort": 1.5}]}}}""",
        """[]""",
        """null""",
    ];

    [Theory]
    [MemberData(nameof(MalformedApps))]
    public void Render_AppWithWrongTypesOrOddId_DropsItAndRendersTheOthers(string app)
    {
        var body = $$"""{"apps": [{{app}}, {{AppsBuilder.App("/good", 10002).ToJsonString()}}]}""";

        var result = LbRenderer.Render(body, Options);

        result.Config.ShouldContain("backend good_10002\n");
        result.Config.ShouldNotContain("evil");
        result.Servers.Count.ShouldBe(1);
    }

    public static TheoryData<string> MalformedTasks() =>
    [
        """{"host": "10.0.0.9", "ports": [1]}""",
        """{"id": "t", "host": "10.0.0.9", "ports": ["1"]}""",
        """{"id": "t", "host": "10.0.0.9", "ports": [-1]}""",
        """{"id": "t", "host": "agent 9", "ports": [1]}""",
        """{"id": "t", "host": "agent\n9", "ports": [1]}""",
        """{"id": "t", "host": "unresolvable", "ports": [1]}""",
        """{"id": "t", "host": "", "ports": [1]}""",
        """{"id": "t", "host": "10.0.0.9", "ports": [1], "state": 3}""",
        """{"id": "t", "host": "10.0.0.9", "ports": [1], "state": "TASK_KILLING"}""",
        """42""",
    ];

    [Theory]
    [MemberData(nameof(MalformedTasks))]
    public void Render_BadTask_IsSkippedAndTheAppsOtherTasksStay(string task)
    {
        var app = AppsBuilder.App("/app", 10001);
        app["tasks"]!.AsArray().Add(JsonNode.Parse(task));

        var result = LbRenderer.Render(AppsBuilder.Body(app), Options);

        result.Servers.Select(s => s.TaskId).ShouldBe(["app.t1"]);
        result.Config.ShouldNotContain("agent");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"apps\": 3}")]
    [InlineData("[1, 2]")]
    [InlineData("{\"app\": []}")]
    [InlineData("{\"apps\": [")]
    public void Render_BodyThatIsNotAnAppsResponse_ThrowsLbInputException(string body)
    {
        Should.Throw<LbInputException>(() => LbRenderer.Render(body, Options)).Message.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void Render_DeeplyNestedJson_ThrowsLbInputException()
    {
        var body = "{\"apps\": [" + new string('[', 5000) + new string(']', 5000) + "]}";

        Should.Throw<LbInputException>(() => LbRenderer.Render(body, Options));
    }

    [Theory]
    [InlineData("user pass")]
    [InlineData("nocolon")]
    [InlineData("user:pa\nss")]
    [InlineData("user:pa#ss")]
    public void Render_UnusableStatsAuth_ThrowsLbInputException(string auth)
    {
        Should.Throw<LbInputException>(() => LbRenderer.Render(AppsBuilder.Body(), Options with { StatsAuth = auth }))
            .Message.ShouldContain("--stats-auth");
    }
}
