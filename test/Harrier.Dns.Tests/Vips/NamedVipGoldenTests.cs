using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.Dns.Tests.Records;
using Harrier.Dns.Vips;
using Xunit;

namespace Harrier.Dns.Tests.Vips;

public sealed class NamedVipGoldenTests
{
    private static JsonArray NamedVips()
    {
        var vips = Fixtures.Json("dcos-net", "named-vip-names-and-ips.json")["named_vips"]!.AsArray();
        Assert.NotEmpty(vips);
        return vips;
    }

    [Fact]
    public void L4lbName_EveryFixtureVip_NameAndHashInputMatchDcosNet()
    {
        foreach (var vip in NamedVips())
        {
            var label = vip!["vip_label_name"]!.GetValue<string>();
            var framework = vip["framework"]!.GetValue<string>();
            Assert.Equal(vip["hash_input"]!.GetValue<string>(), L4lbName.Key(label, framework));
            Assert.Equal(vip["dns_name"]!.GetValue<string>(), L4lbName.DnsName(label, framework));
        }
    }

    [Fact]
    public void ErlangPhash2_EveryFixtureVip_HashMatchesErlangInBothRanges()
    {
        foreach (var vip in NamedVips())
        {
            var key = Encoding.UTF8.GetBytes(vip!["hash_input"]!.GetValue<string>());
            foreach (var candidate in vip["candidates"]!.AsArray())
            {
                Assert.Equal(candidate!["phash2"]!.GetValue<uint>(), ErlangPhash2.Hash(key, candidate["range_size"]!.GetValue<uint>()));
            }
        }
    }

    [Fact]
    public void FirstCandidate_EveryFixtureVip_MatchesBothDefaultRanges()
    {
        var builtIn = NamedVipAllocator.DcosNetDefault();
        Assert.True(NamedVipAllocator.TryParse("11.0.0.0/8", out var installer, out var error), error);
        foreach (var vip in NamedVips())
        {
            var label = vip!["vip_label_name"]!.GetValue<string>();
            var framework = vip["framework"]!.GetValue<string>();
            var candidates = vip["candidates"]!.AsArray();
            Assert.Equal(IPAddress.Parse(candidates[0]!["first_candidate_ip"]!.GetValue<string>()), builtIn.FirstCandidate(label, framework));
            Assert.Equal(IPAddress.Parse(candidates[1]!["first_candidate_ip"]!.GetValue<string>()), installer.FirstCandidate(label, framework));
        }
    }

    [Fact]
    public void Assign_FixtureOrderInDefaultRange_CollisionsProbeToTheNextAddress()
    {
        var allocator = NamedVipAllocator.DcosNetDefault();

        foreach (var vip in NamedVips())
        {
            var assigned = allocator.Assign(vip!["vip_label_name"]!.GetValue<string>(), vip["framework"]!.GetValue<string>());
            Assert.Equal(vip["assigned_ip_in_this_order_default_range"]!.GetValue<string>(), assigned!.Address.ToString());
        }
    }
}
