using System.Net;
using Harrier.Dns.Vips;
using Xunit;

namespace Harrier.Dns.Tests.Vips;

public sealed class NamedVipAllocatorTests
{
    [Fact]
    public void Assign_SameNameTwice_SameAddress()
    {
        var allocator = NamedVipAllocator.DcosNetDefault();

        var first = allocator.Assign("/myapp", "marathon");
        var second = allocator.Assign("/myapp", "marathon");

        Assert.Equal(IPAddress.Parse("11.215.14.108"), first!.Address);
        Assert.Same(first, second);
        Assert.Equal("myapp.marathon.l4lb.thisdcos.directory", first.DnsName);
    }

    [Fact]
    public void Release_CollidedNameFreed_ItsAddressIsFreeAgainAndOthersKeepTheirs()
    {
        var allocator = NamedVipAllocator.DcosNetDefault();
        allocator.Assign("/myapp", "marathon");
        Assert.Equal("11.215.14.109", allocator.Assign("myapp", "marathon")!.Address.ToString());

        Assert.True(allocator.Release("/myapp", "marathon"));
        Assert.False(allocator.Release("/myapp", "marathon"));

        Assert.Equal("11.215.14.109", allocator.Assign("myapp", "marathon")!.Address.ToString());
        Assert.Equal("11.215.14.108", allocator.Assign("/myapp", "marathon")!.Address.ToString());
    }

    [Fact]
    public void Retain_DropsMappingsNotLive_KeepsOrder()
    {
        var allocator = NamedVipAllocator.DcosNetDefault();
        allocator.Assign("/a", "marathon");
        allocator.Assign("/b", "marathon");
        allocator.Assign("/c", "marathon");

        allocator.Retain([("/c", "marathon"), ("/a", "marathon")]);

        Assert.Equal(["/a", "/c"], allocator.Mappings.Select(m => m.Label));
    }

    [Fact]
    public void Assign_RangeFull_Null()
    {
        // 127.1.0.0-127.1.0.1: Q = 1, so every name starts at 127.1.0.0 and dcos-net's rule allows one try.
        Assert.True(NamedVipAllocator.TryParse("127.1.0.0-127.1.0.1", out var allocator, out var error), error);

        Assert.Equal("127.1.0.0", allocator.Assign("/a", "marathon")!.Address.ToString());
        Assert.Null(allocator.Assign("/b", "marathon"));
    }

    [Theory]
    [InlineData("127.20.0.0/16", "127.20.0.0", "127.20.255.255")]
    [InlineData("11.0.0.0-11.255.255.254", "11.0.0.0", "11.255.255.254")]
    public void TryParse_CidrOrMinMax_Range(string text, string min, string max)
    {
        Assert.True(NamedVipAllocator.TryParse(text, out var allocator, out var error), error);
        Assert.Equal(min, allocator.Min.ToString());
        Assert.Equal(max, allocator.Max.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("11.0.0.0")]
    [InlineData("11.0.0.5-11.0.0.1")]
    [InlineData("fd01:c::-fd01:c::ffff")]
    [InlineData("11.0.0.0/40")]
    public void TryParse_Garbage_Error(string text) => Assert.False(NamedVipAllocator.TryParse(text, out _, out _));

    [Fact]
    public void ToContribution_TwoVipsOneName_NameAnswersBothUntilEachIsReleased()
    {
        var allocator = NamedVipAllocator.DcosNetDefault();
        var slash = allocator.Assign("/myapp", "marathon")!;
        var plain = allocator.Assign("myapp", "marathon")!;
        var book = Harrier.Dns.Records.RecordBook.Empty().SetAll([slash.ToContribution(), plain.ToContribution()]);

        Assert.Equal(["11.215.14.108", "11.215.14.109"], book.Names["myapp.marathon.l4lb.thisdcos.directory."].A.Select(a => a.ToString()));
        Assert.Equal(["11.215.14.109"], book.Remove(slash.ToContribution().Key).Names["myapp.marathon.l4lb.thisdcos.directory."].A.Select(a => a.ToString()));
    }
}
