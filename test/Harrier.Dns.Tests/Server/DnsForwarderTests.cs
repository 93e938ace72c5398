using System.Net;
using ARSoft.Tools.Net.Dns;
using Harrier.Dns.Server;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Harrier.Dns.Tests.Server;

public sealed class DnsForwarderTests
{
    private static readonly byte[] External = DnsPackets.Query("example.com", DnsPackets.A, id: 0x4242);

    private static ServerFixture Start(FakeUpstream upstream, TimeSpan? timeout = null) =>
        ServerFixture.Start(new DnsServerOptions { Upstreams = [upstream.Endpoint], ForwardTimeout = timeout ?? TimeSpan.FromSeconds(2) });

    private static string AddressOf(byte[]? reply) =>
        Assert.IsType<ARecord>(Assert.Single(DnsPackets.Parse(reply ?? throw new InvalidOperationException("no reply")).AnswerRecords)).Address.ToString();

    [Fact]
    public async Task Forward_NameOutsideZones_RelaysUpstreamAnswerWithClientsId()
    {
        using var upstream = new FakeUpstream();
        await using var fixture = Start(upstream);
        var reply = await fixture.UdpAsync(External);
        Assert.Equal("192.0.2.1", AddressOf(reply));
        Assert.Equal(0x4242, DnsPackets.Id(reply));
        Assert.Equal(1, upstream.UdpQueries);
    }

    [Fact]
    public async Task Forward_ReplyWithWrongIdFirst_IgnoredRealOneRelayed()
    {
        using var upstream = new FakeUpstream(spoofFirst: true);
        await using var fixture = Start(upstream);
        Assert.Equal("192.0.2.1", AddressOf(await fixture.UdpAsync(External)));
    }

    [Fact]
    public async Task Forward_TruncatedUpstreamReply_RetriedOverTcp()
    {
        using var upstream = new FakeUpstream(truncateUdp: true);
        await using var fixture = Start(upstream);
        Assert.Equal("192.0.2.1", AddressOf(await fixture.UdpAsync(External)));
        Assert.Equal(1, upstream.TcpQueries);
    }

    [Fact]
    public async Task Forward_SilentUpstream_RefusedAfterTimeout()
    {
        using var upstream = new FakeUpstream(silent: true);
        await using var fixture = Start(upstream, TimeSpan.FromMilliseconds(300));
        var reply = await fixture.UdpAsync(External);
        Assert.Equal(DnsWire.RcodeRefused, DnsPackets.Rcode(reply ?? []));
    }

    [Fact]
    public async Task Forward_OverTcp_Relayed()
    {
        using var upstream = new FakeUpstream();
        await using var fixture = Start(upstream);
        using var tcp = await fixture.ConnectTcpAsync();
        Assert.Equal("192.0.2.1", AddressOf(await ServerFixture.TcpExchangeAsync(tcp, External)));
    }

    [Fact]
    public async Task ForwardAsync_OverInFlightCap_ServFailAtOnce()
    {
        using var upstream = new FakeUpstream(silent: true);
        var options = new DnsServerOptions { MaxForwardsInFlight = 2, MaxForwardsPerClient = 2, ForwardTimeout = TimeSpan.FromSeconds(2) };
        var forwarder = new DnsForwarder([upstream.Endpoint], options, NullLogger.Instance);
        DnsQueryParser.Parse(External, out var parsed);
        var client = IPAddress.Parse("127.0.0.9");
        var held = new[] { forwarder.ForwardAsync(External, parsed, client, default), forwarder.ForwardAsync(External, parsed, IPAddress.Parse("127.0.0.8"), default) };
        var started = DateTime.UtcNow;
        var third = await forwarder.ForwardAsync(External, parsed, IPAddress.Parse("127.0.0.7"), default);
        Assert.Equal(DnsWire.RcodeServFail, third.Rcode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1));
        Assert.Equal(2, forwarder.InFlight);
        await Task.WhenAll(held);
        Assert.Equal(0, forwarder.InFlight);
    }

    [Fact]
    public async Task ForwardAsync_OneClientAtItsCap_OtherClientStillForwarded()
    {
        using var silent = new FakeUpstream(silent: true);
        var options = new DnsServerOptions { MaxForwardsInFlight = 10, MaxForwardsPerClient = 2, ForwardTimeout = TimeSpan.FromSeconds(1) };
        var forwarder = new DnsForwarder([silent.Endpoint], options, NullLogger.Instance);
        DnsQueryParser.Parse(External, out var parsed);
        var flooder = IPAddress.Parse("127.0.0.9");
        var held = Enumerable.Range(0, 2).Select(_ => forwarder.ForwardAsync(External, parsed, flooder, default)).ToArray();
        Assert.Equal(DnsWire.RcodeServFail, (await forwarder.ForwardAsync(External, parsed, flooder, default)).Rcode);
        // Another client is not refused by the flooder's cap: it gets as far as the (silent) upstream.
        Assert.Equal(DnsWire.RcodeRefused, (await forwarder.ForwardAsync(External, parsed, IPAddress.Parse("127.0.0.8"), default)).Rcode);
        await Task.WhenAll(held);
    }

    [Fact]
    public void Nameservers_ResolvConf_SkipsThisServerAndJunk()
    {
        var text = "# comment\nnameserver 127.0.0.1\nnameserver 10.0.0.2\nsearch example.com\nnameserver bogus\nnameserver 10.0.0.2\n";
        var self = new IPEndPoint(IPAddress.Loopback, 53);
        Assert.Equal(["10.0.0.2:53"], ResolvConf.Nameservers(text, self).Select(e => e.ToString()));
        Assert.Equal(["127.0.0.1:53", "10.0.0.2:53"], ResolvConf.Nameservers(text, new IPEndPoint(IPAddress.Loopback, 8053)).Select(e => e.ToString()));
    }
}
