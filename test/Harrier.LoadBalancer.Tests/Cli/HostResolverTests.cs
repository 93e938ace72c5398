using System.Net;
using Harrier.LoadBalancer.Cli;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Cli;

public sealed class HostResolverTests
{
    [Fact]
    public void Resolve_AnswerCachedMissAskedAgain()
    {
        var calls = 0;
        IPAddress[] answer = [];
        var resolver = new HostResolver(new Dictionary<string, string>(), _ =>
        {
            calls++;
            return answer;
        });
        resolver.Resolve("agent9").ShouldBeNull();
        answer = [IPAddress.IPv6Loopback, IPAddress.Parse("10.9.9.9")];
        resolver.Resolve("agent9").ShouldBe("10.9.9.9");
        resolver.Resolve("AGENT9").ShouldBe("10.9.9.9");
        calls.ShouldBe(2);
    }

    [Fact]
    public void Resolve_Ipv6LiteralOrEmpty_NoAddress()
    {
        var resolver = new HostResolver(new Dictionary<string, string>(), _ => throw new InvalidOperationException("not asked"));
        resolver.Resolve("::1").ShouldBeNull();
        resolver.Resolve("").ShouldBeNull();
    }
}
