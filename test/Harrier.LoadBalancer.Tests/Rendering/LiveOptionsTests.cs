using Harrier.LoadBalancer.Rendering;
using Harrier.LoadBalancer.Tests.Marathon;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Rendering;

public sealed class LiveOptionsTests
{
    private static readonly string Body = AppsBuilder.Body(AppsBuilder.App("/web", 10001,
        ("HAPROXY_0_VHOST", "web.example.com"), ("HAPROXY_0_USE_HSTS", "true"),
        ("HAPROXY_0_HTTP_BACKEND_PROXYPASS_PATH", "/web"), ("HAPROXY_0_HTTP_BACKEND_REVPROXY_PATH", "/")));

    [Fact]
    public void Render_Live_HeadUsesTheWorkDirectoryAndTemplatesHaproxy26Parses()
    {
        var paths = new LbPaths("/run/lb");

        var config = LbRenderer.Render(Body, new LbOptions { Live = paths }).Config;

        config.ShouldContain("  stats socket /run/lb/haproxy.sock expose-fd listeners\n");
        config.ShouldContain("  server-state-base /run/lb/state/\n");
        config.ShouldContain("  lua-load /run/lb/lua/getpids.lua\n  lua-load /run/lb/lua/getconfig.lua\n  lua-load /run/lb/lua/getmaps.lua\n  lua-load /run/lb/lua/signalmlb.lua\n");
        config.ShouldNotContain("/marathon-lb/");
        config.ShouldNotContain("reqirep");
        config.ShouldNotContain("rspirep");
        config.ShouldNotContain("rspadd");
        config.ShouldContain("  http-request replace-path (?i)^/web/?(.*) /\\1\n");
        config.ShouldContain("  http-response add-header Strict-Transport-Security max-age=15768000\n");
    }

    [Fact]
    public void Render_NotLive_KeepsMarathonLbsDialect()
    {
        var config = LbRenderer.Render(Body, new LbOptions()).Config;

        config.ShouldContain("  reqirep  \"^([^ :]*)\\ /web/?(.*)\" \"\\1\\ /\\2\"\n");
        config.ShouldContain("  rspadd  Strict-Transport-Security:\\ max-age=15768000\n");
        config.ShouldContain("  lua-load /marathon-lb/getpids.lua\n");
    }

    [Fact]
    public void Render_MaxConnections_ReplacesOnlyTheGlobalMaxconn()
    {
        var body = """{"apps":[]}""";
        var config = LbRenderer.Render(body, new LbOptions { MaxConnections = 9000 }).Config;
        config.ShouldContain("\n  maxconn 9000\n");
        config.ShouldNotContain("maxconn 50000");
        config.ShouldContain("  maxconn               10000\n");
        LbRenderer.Render(body, new LbOptions()).Config.ShouldContain("\n  maxconn 50000\n");
    }

    [Fact]
    public void Render_PortsAddressAndStatsAuth_ApplyToTheFixedListeners()
    {
        var options = new LbOptions { BindAddress = "127.0.0.2", HttpPort = 8080, HttpsPort = 8443, AppIdPort = 9191, StatsPort = 9190, StatsAuth = "admin:s3cret" };

        var config = LbRenderer.Render(Body, options).Config;

        // The stats listener follows --bind-address too (marathon-lb bound 0.0.0.0:9090 always).
        config.ShouldContain("listen stats\n  bind 127.0.0.2:9190\n  balance\n  mode http\n  stats enable\n  stats auth admin:s3cret\n");
        config.ShouldContain("frontend marathon_http_in\n  bind 127.0.0.2:8080\n");
        config.ShouldContain("frontend marathon_http_appid_in\n  bind 127.0.0.2:9191\n");
        config.ShouldContain("frontend marathon_https_in\n  bind 127.0.0.2:8443 ssl crt /etc/ssl/cert.pem\n");
        config.ShouldContain("frontend web_10001\n  bind 127.0.0.2:10001\n");
    }

    [Fact]
    public void Render_EnvironmentHeadWithDaemon_ThrowsLbInputException()
    {
        var options = new LbOptions { Environment = new Dictionary<string, string> { ["HAPROXY_HEAD"] = "global\\n  daemon\\n  stats socket /s expose-fd listeners\\n" } };

        Should.Throw<Harrier.LoadBalancer.Marathon.LbInputException>(() => LbRenderer.Render(Body, options)).Message.ShouldContain("daemon");
    }

    [Fact]
    public void Render_TemplatesDirectory_FileOverridesTheDefaultAndEnvironmentWinsOverTheFile()
    {
        var dir = Directory.CreateTempSubdirectory("harrier-lb-templates-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "HAPROXY_BACKEND_HTTP_OPTIONS"), "  option forwardfor except 127.0.0.0/8\n");
            File.WriteAllText(Path.Combine(dir, "HAPROXY_FRONTEND_BACKEND_GLUE"), "  use_backend {backend} # from file\n");

            var config = LbRenderer.Render(Body, new LbOptions
            {
                TemplatesDirectory = dir,
                Environment = new Dictionary<string, string> { ["HAPROXY_FRONTEND_BACKEND_GLUE"] = "  use_backend {backend}\\n  # from env\\n" },
            }).Config;

            config.ShouldContain("  option forwardfor except 127.0.0.0/8\n");
            config.ShouldContain("  use_backend web_10001\n  # from env\n");
            config.ShouldNotContain("from file");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
