using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Harrier.Dns.Server;
using Xunit;

namespace Harrier.Dns.Tests.Server;

public sealed class DnsServerTests
{
    private static readonly byte[] WebA = DnsPackets.Query("web.marathon.mesos", DnsPackets.A);

    [Fact]
    public async Task Start_PortZero_AnswersOverUdpAndTcpOnTheBoundPort()
    {
        await using var fixture = ServerFixture.Start();
        Assert.NotEqual(0, fixture.Server.Port);
        var udp = DnsPackets.Parse(await fixture.UdpAsync(WebA) ?? throw new InvalidOperationException("no UDP reply"));
        Assert.Equal(3, udp.AnswerRecords.Count);
        using var tcp = await fixture.ConnectTcpAsync();
        Assert.Equal(3, DnsPackets.Parse(await ServerFixture.TcpExchangeAsync(tcp, WebA) ?? []).AnswerRecords.Count);
    }

    [Fact]
    public async Task Tcp_SeveralQueriesOnOneConnection_AllAnswered()
    {
        await using var fixture = ServerFixture.Start(zone: TestZones.Wide(100));
        using var tcp = await fixture.ConnectTcpAsync();
        for (var i = 0; i < 3; i++)
        {
            var reply = await ServerFixture.TcpExchangeAsync(tcp, DnsPackets.Query("big.marathon.mesos", DnsPackets.A, id: (ushort)i));
            Assert.NotNull(reply);
            Assert.Equal(i, DnsPackets.Id(reply));
            Assert.Equal(100, DnsPackets.Parse(reply).AnswerRecords.Count);
        }
    }

    [Fact]
    public async Task Tcp_IdleConnection_ClosedAfterTimeout()
    {
        await using var fixture = ServerFixture.Start(new DnsServerOptions { Recursion = false, TcpIdleTimeout = TimeSpan.FromMilliseconds(200) });
        using var tcp = await fixture.ConnectTcpAsync();
        Assert.Null(await ServerFixture.TcpReadAsync(tcp));
        await WaitAsync(() => fixture.Server.OpenTcpConnections == 0);
    }

    [Fact]
    public async Task Tcp_BeyondConnectionCap_ClosedAtAcceptOthersServed()
    {
        await using var fixture = ServerFixture.Start(new DnsServerOptions { Recursion = false, MaxTcpConnections = 2 });
        using var first = await fixture.ConnectTcpAsync();
        using var second = await fixture.ConnectTcpAsync();
        await WaitAsync(() => fixture.Server.OpenTcpConnections == 2);
        using var third = await fixture.ConnectTcpAsync();
        Assert.Null(await ServerFixture.TcpExchangeAsync(third, WebA).ContinueWith(t => t.IsFaulted ? null : t.Result));
        Assert.NotNull(await ServerFixture.TcpExchangeAsync(first, WebA));
    }

    [Fact]
    public async Task Tcp_LengthPrefixOverLimit_ConnectionClosedServerStillAnswers()
    {
        await using var fixture = ServerFixture.Start();
        using var tcp = await fixture.ConnectTcpAsync();
        await tcp.SendAsync(new byte[] { 0xFF, 0xFF });
        await tcp.SendAsync(new byte[60000]);
        Assert.Null(await ServerFixture.TcpReadAsync(tcp).ContinueWith(t => t.IsFaulted ? null : t.Result));
        Assert.NotNull(await fixture.UdpAsync(WebA));
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        // Header, QDCOUNT 1, then a question name that is a pointer to itself.
        { "compression loop", [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1] },
        { "pointer past the end", [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC3, 0xFF, 0, 1, 0, 1] },
        { "label running off the end", [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 40, (byte)'a', (byte)'b'] },
        { "two questions", [0x12, 0x34, 0x01, 0x00, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1] },
        { "no question", [0x12, 0x34, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "additional record past the end", [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0xFF, 0xFF] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Udp_MalformedQuery_FormErrAndServerKeepsAnswering(string what, byte[] packet)
    {
        await using var fixture = ServerFixture.Start();
        var reply = await fixture.UdpAsync(packet);
        Assert.True(reply is not null, what);
        Assert.Equal(DnsWire.RcodeFormErr, DnsPackets.Rcode(reply));
        Assert.Equal(0x1234, DnsPackets.Id(reply));
        Assert.NotNull(await fixture.UdpAsync(WebA));
    }

    [Fact]
    public async Task Udp_ShortPacketsAndResponses_DroppedWithoutReply()
    {
        await using var fixture = ServerFixture.Start();
        Assert.Null(await fixture.UdpAsync([1, 2, 3], TimeSpan.FromMilliseconds(300)));
        var response = (byte[])WebA.Clone();
        response[2] |= 0x80; // QR=1: a response sent to the server
        Assert.Null(await fixture.UdpAsync(response, TimeSpan.FromMilliseconds(300)));
        Assert.NotNull(await fixture.UdpAsync(WebA));
    }

    [Fact]
    public async Task Udp_OtherOpcode_NotImp()
    {
        await using var fixture = ServerFixture.Start();
        var status = DnsPackets.Query("web.marathon.mesos", DnsPackets.A, flags: 0x1000); // opcode 2 (STATUS)
        Assert.Equal(DnsWire.RcodeNotImp, DnsPackets.Rcode(await fixture.UdpAsync(status) ?? []));
    }

    [Fact]
    public async Task Udp_QueryOver512WithoutEdns_FormErr()
    {
        await using var fixture = ServerFixture.Start();
        var padded = DnsPackets.Query("web.marathon.mesos", DnsPackets.A).Concat(new byte[600]).ToArray();
        Assert.Equal(DnsWire.RcodeFormErr, DnsPackets.Rcode(await fixture.UdpAsync(padded) ?? []));
        var huge = DnsPackets.Query("web.marathon.mesos", DnsPackets.A).Concat(new byte[9000]).ToArray();
        Assert.Null(await fixture.UdpAsync(huge, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Udp_AnyQuery_BoundedBy512()
    {
        await using var fixture = ServerFixture.Start(zone: TestZones.Wide(300));
        var reply = await fixture.UdpAsync(DnsPackets.Query("big.marathon.mesos", DnsPackets.Any));
        Assert.NotNull(reply);
        Assert.True(reply.Length <= 512);
        Assert.True(DnsPackets.Truncated(reply));
    }

    [Fact]
    public async Task Udp_FloodFromOneClient_ServerKeepsAnsweringAndNamesBounded()
    {
        await using var fixture = ServerFixture.Start();
        using var flooder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        flooder.Connect(fixture.Endpoint);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var flood = Task.Run(() =>
        {
            // Random names (each new to the intern table) as fast as the socket takes them, never reading replies.
            var random = new Random(17);
            var sent = 0;
            while (!stop.IsCancellationRequested)
            {
                flooder.Send(DnsPackets.Query($"x{random.Next()}.marathon.mesos", DnsPackets.A));
                sent++;
            }
            return sent;
        });
        // During the flood another client may lose datagrams (a UDP queue fills, for everyone): counted, not asserted.
        var answered = 0;
        for (var i = 0; i < 10; i++)
        {
            if (await fixture.UdpAsync(WebA, TimeSpan.FromMilliseconds(300)) is not null)
            {
                answered++;
            }
        }
        var sent = await flood;
        TestContext.Current.SendDiagnosticMessage($"{answered}/10 answered during a flood of {sent} queries");
        // The flood did not stop the server or grow its memory without bound: it answers within 2 s afterwards while
        // the flooder, which never reads its replies, still holds its socket (a blocking send to it stalled every UDP
        // thread), and the names it keeps stay capped however many distinct ones came in.
        Assert.True(sent > 1000, $"the flood sent only {sent} queries");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        byte[]? after = null;
        for (var i = 0; i < 4 && after is null; i++)
        {
            after = await fixture.UdpAsync(WebA, TimeSpan.FromMilliseconds(500));
        }
        Assert.True(after is not null, $"no answer within {clock.Elapsed.TotalSeconds:F1} s after the flood ({answered}/10 during it, {sent} sent)");
        TestContext.Current.SendDiagnosticMessage($"first answer {clock.ElapsedMilliseconds} ms after the flood");
        Assert.True(fixture.Server.InternedNames <= 65536, $"{fixture.Server.InternedNames} names kept");
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 5 s");
            await Task.Delay(20);
        }
    }
}
