using Harrier.LoadBalancer.Haproxy;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Haproxy;

public sealed class HaproxyConfigModelTests
{
    private const string Config = """
        global
          maxconn 50000
        listen stats
          bind 0.0.0.0:9090
        frontend nginx_10000
          bind *:10000
          mode http
          use_backend nginx_10000

        backend nginx_10000
          balance roundrobin
          server 10_0_1_147_25724 10.0.1.147:25724 id 9975 check inter 3s fall 11
          server 10_0_6_25_31184 10.0.6.25:31184 id 27565 check inter 3s fall 11 disabled
          server agent1_1_1_1_1_1024 1.1.1.1:1024 id 1 check cookie 0123456789 inter 10s fall 4 port 8080
        """;

    [Fact]
    public void Parse_MarathonLbServerLines_ServersWithOptionsAndShapeWithoutThem()
    {
        var model = HaproxyConfigModel.Parse(Config);

        model.Servers.Count.ShouldBe(3);
        var disabled = model.Servers[("nginx_10000", "10_0_6_25_31184")];
        disabled.Address.ShouldBe("10.0.6.25:31184");
        disabled.Options.ShouldBe(["id", "27565", "check", "inter", "3s", "fall", "11", "disabled"]);
        disabled.Disabled.ShouldBeTrue();
        disabled.HasCheck.ShouldBeTrue();
        model.Servers[("nginx_10000", "agent1_1_1_1_1_1024")].NotAddableReason()!.ShouldContain("cookie");
        model.Shape.ShouldNotContain("server ");
        model.Shape.ShouldContain("  balance roundrobin\n");
        model.RuntimeProblem.ShouldBeNull();
    }

    [Fact]
    public void Parse_ServersOnlyDiffer_SameShape()
    {
        var fewer = Config.Replace("  server 10_0_1_147_25724 10.0.1.147:25724 id 9975 check inter 3s fall 11\n", "", StringComparison.Ordinal);

        HaproxyConfigModel.Parse(fewer).Shape.ShouldBe(HaproxyConfigModel.Parse(Config).Shape);
        HaproxyConfigModel.Parse(Config.Replace("roundrobin", "leastconn", StringComparison.Ordinal)).Shape.ShouldNotBe(HaproxyConfigModel.Parse(Config).Shape);
    }

    [Fact]
    public void Parse_DuplicateServerName_RuntimeProblem()
    {
        var twice = Config + "\n  server 10_0_1_147_25724 10.0.1.147:25724 id 9975\n";

        HaproxyConfigModel.Parse(twice).RuntimeProblem!.ShouldContain("appears twice");
    }

    [Fact]
    public void Parse_ServerWordOutsideBackend_StaysInShape()
    {
        var model = HaproxyConfigModel.Parse("frontend f\n  server x 1.1.1.1:1\nbackend b\n  server y 2.2.2.2:2\n");

        model.Servers.Keys.ShouldBe([("b", "y")]);
        model.Shape.ShouldContain("server x");
    }

    [Fact]
    public void Parse_EveryGoldenConfig_EveryServerLineIsParsed()
    {
        var root = SharedData.Folder("lb-fixtures/marathon-lb", out var skip);
        Assert.SkipWhen(root is null, skip ?? "");
        var files = Directory.EnumerateFiles(root, "expected-haproxy.cfg", SearchOption.AllDirectories).ToList();
        files.ShouldNotBeEmpty();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var model = HaproxyConfigModel.Parse(text);
            var serverLines = text.Split('\n').Count(l => l.StartsWith("  server ", StringComparison.Ordinal));
            model.Servers.Count.ShouldBe(serverLines, file);
            model.Servers.Values.ShouldAllBe(s => s.Address.Contains(':') || s.Address.StartsWith("abns@"), file);
            model.Shape.Split('\n').ShouldNotContain(l => l.StartsWith("  server ", StringComparison.Ordinal), file);
        }
    }
}
