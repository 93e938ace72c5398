using System.Net;
using Harrier.Dns.Zones;
using Xunit;

namespace Harrier.Dns.Tests;

public sealed class ZoneSnapshotTests
{
    private static readonly ZoneSnapshot Zone = new(
        [new ZoneAuthority("mesos.", 60, "ns1.mesos.", "root.ns1.mesos.", 1), new ZoneAuthority("thisdcos.directory.", 5, "ns.thisdcos.directory.", "support.mesosphere.com.", 1)],
        new Dictionary<string, NameRecords> { ["web.marathon.mesos."] = new([IPAddress.Parse("10.0.0.1")], [], []) });

    [Theory]
    [InlineData("web.marathon.mesos.", "mesos.")]
    [InlineData("mesos.", "mesos.")]
    [InlineData("x.l4lb.thisdcos.directory.", "thisdcos.directory.")]
    [InlineData("notmesos.", null)]
    [InlineData("example.com.", null)]
    public void AuthorityFor_MatchesWholeLabelsOnly(string name, string? origin) =>
        Assert.Equal(origin, Zone.AuthorityFor(name)?.Origin);

    [Fact]
    public void TryGet_FindsOwnedNamesOnly()
    {
        Assert.True(Zone.TryGet("web.marathon.mesos.", out var web));
        Assert.Equal("10.0.0.1", Assert.Single(web.A).ToString());
        Assert.False(Zone.TryGet("db.marathon.mesos.", out _));
    }
}
