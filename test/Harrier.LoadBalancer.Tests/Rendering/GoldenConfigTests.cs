using Harrier.LoadBalancer.Rendering;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Rendering;

public sealed class GoldenConfigTests
{
    [Theory]
    [MemberData(nameof(GoldenCases.WithApps), MemberType = typeof(GoldenCases))]
    public void Render_GoldenAppsBody_MatchesMarathonLbByteForByte(string sub)
    {
        var result = LbRenderer.Render(GoldenCases.Read(sub, "apps.json"), GoldenCases.Options(sub));

        result.Config.ShouldBe(GoldenCases.Read(sub, "expected-haproxy.cfg"));
        if (GoldenCases.ReadIfPresent(sub, "expected-domain2backend.map") is { } domainMap)
        {
            result.DomainMap.ShouldBe(domainMap);
        }
        if (GoldenCases.ReadIfPresent(sub, "expected-app2backend.map") is { } appMap)
        {
            result.AppMap.ShouldBe(appMap);
        }
    }

    [Theory]
    [MemberData(nameof(GoldenCases.WithServicesOnly), MemberType = typeof(GoldenCases))]
    public void RenderServices_GoldenServiceModel_MatchesMarathonLbByteForByte(string sub)
    {
        var options = GoldenCases.Options(sub);
        var services = ServicesJson.Read(GoldenCases.Read(sub, "services.json"));

        var result = LbRenderer.RenderServices(services, options, LbRenderer.TemplatesFor(options), []);

        result.Config.ShouldBe(GoldenCases.Read(sub, "expected-haproxy.cfg"));
    }
}
