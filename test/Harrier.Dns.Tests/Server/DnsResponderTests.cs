using ARSoft.Tools.Net.Dns;
using Harrier.Dns.Server;
using Harrier.Dns.Zones;
using Xunit;

namespace Harrier.Dns.Tests.Server;

public sealed class DnsResponderTests
{
    private static readonly ZoneSnapshot Zone = TestZones.Small();

    private static byte[] Ask(byte[] query, ZoneSnapshot? zone = null, bool udp = true, DnsServerOptions? options = null, int seed = 1)
    {
        var responder = new DnsResponder(options ?? new DnsServerOptions(), new DnsNames(), new Random(seed));
        var buffer = new byte[DnsWire.MaxTcpMessage];
        var kind = responder.Respond(query, udp, zone ?? Zone, buffer, out var length, out _);
        Assert.Equal(ResponseKind.Reply, kind);
        return buffer[..length];
    }

    [Fact]
    public void Respond_A_AuthoritativeWithZoneTtl()
    {
        var reply = DnsPackets.Parse(Ask(DnsPackets.Query("web.marathon.mesos", DnsPackets.A)));
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.True(reply.IsAuthoritiveAnswer);
        Assert.True(reply.IsRecursionAllowed);
        Assert.Equal(0x1234, reply.TransactionID);
        var records = reply.AnswerRecords.Cast<ARecord>().ToList();
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], records.Select(r => r.Address.ToString()).Order());
        Assert.All(records, r => Assert.Equal(60, r.TimeToLive));
    }

    [Fact]
    public void Respond_ThisDcosName_UsesItsZoneTtl()
    {
        var reply = DnsPackets.Parse(Ask(DnsPackets.Query("web.marathon.autoip.dcos.thisdcos.directory", DnsPackets.A)));
        Assert.Equal(5, Assert.Single(reply.AnswerRecords).TimeToLive);
    }

    [Fact]
    public void Respond_MixedCaseName_MatchesAndEchoesQuestionAsAsked()
    {
        var bytes = Ask(DnsPackets.Query("WeB.MaRaThOn.MESOS", DnsPackets.A));
        var reply = DnsPackets.Parse(bytes);
        Assert.Equal(3, reply.AnswerRecords.Count);
        Assert.Equal("WeB.MaRaThOn.MESOS", System.Text.Encoding.ASCII.GetString(bytes, 13, 3) + "." + System.Text.Encoding.ASCII.GetString(bytes, 17, 8) + "." + System.Text.Encoding.ASCII.GetString(bytes, 26, 5));
    }

    [Fact]
    public void Respond_Aaaa_AnswersIpv6()
    {
        var reply = DnsPackets.Parse(Ask(DnsPackets.Query("web.marathon.mesos", DnsPackets.Aaaa)));
        Assert.Equal("fd00::1", Assert.IsType<AaaaRecord>(Assert.Single(reply.AnswerRecords)).Address.ToString());
    }

    [Fact]
    public void Respond_Srv_PriorityZeroWeightFromRecordAndFirstAddressesOfTargetsInAdditional()
    {
        var reply = DnsPackets.Parse(Ask(DnsPackets.Query("_web._tcp.marathon.mesos", DnsPackets.Srv)));
        var srv = reply.AnswerRecords.Cast<SrvRecord>().OrderBy(r => r.Port).ToList();
        Assert.Equal([31001, 31002], srv.Select(r => (int)r.Port));
        Assert.Equal("web-aaaaa-s0.marathon.mesos.", srv[0].Target.ToString());
        Assert.Equal([0, 0], srv.Select(r => (int)r.Priority));
        Assert.Equal([1, 3], srv.Select(r => (int)r.Weight));
        var extra = reply.AdditionalRecords.Select(r => $"{r.Name} {r.RecordType} {(r is ARecord a ? a.Address : ((AaaaRecord)r).Address)}").Order();
        // The first A (not 10.9.9.9) and the first AAAA of each target.
        Assert.Equal(["web-aaaaa-s0.marathon.mesos. A 10.0.0.1", "web-aaaaa-s0.marathon.mesos. Aaaa fd00::1", "web-bbbbb-s1.marathon.mesos. A 10.0.0.2"], extra);
    }

    [Fact]
    public void Respond_UnknownNameInZone_NxDomainWithSoaInAuthority()
    {
        var reply = DnsPackets.Parse(Ask(DnsPackets.Query("nope.marathon.mesos", DnsPackets.A)));
        Assert.Equal(ReturnCode.NxDomain, reply.ReturnCode);
        Assert.Empty(reply.AnswerRecords);
        var soa = Assert.IsType<SoaRecord>(Assert.Single(reply.AuthorityRecords));
        Assert.Equal("mesos.", soa.Name.ToString());
        Assert.Equal("ns1.mesos.", soa.MasterName.ToString());
        Assert.Equal(42u, soa.SerialNumber);
        Assert.Equal(60, soa.TimeToLive);
    }

    [Theory]
    [InlineData(DnsPackets.Srv)]
    [InlineData(DnsPackets.Txt)]
    public void Respond_KnownNameWithoutThatType_NoDataWithSoa(ushort type)
    {
        var reply = DnsPackets.Parse(Ask(DnsPackets.Query("web.marathon.mesos", type)));
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Empty(reply.AnswerRecords);
        Assert.IsType<SoaRecord>(Assert.Single(reply.AuthorityRecords));
    }

    [Fact]
    public void Respond_SoaAndNsAtOrigin_InAnswer()
    {
        var soa = DnsPackets.Parse(Ask(DnsPackets.Query("mesos", DnsPackets.Soa)));
        Assert.IsType<SoaRecord>(Assert.Single(soa.AnswerRecords));
        var ns = DnsPackets.Parse(Ask(DnsPackets.Query("mesos", DnsPackets.Ns)));
        Assert.Equal("ns1.mesos.", Assert.IsType<NsRecord>(Assert.Single(ns.AnswerRecords)).NameServer.ToString());
    }

    [Fact]
    public void Respond_SoaAndNsBelowOrigin_InAuthorityAsMesosDns()
    {
        var soa = DnsPackets.Parse(Ask(DnsPackets.Query("web.marathon.mesos", DnsPackets.Soa)));
        Assert.Equal(ReturnCode.NoError, soa.ReturnCode);
        Assert.Empty(soa.AnswerRecords);
        Assert.IsType<SoaRecord>(Assert.Single(soa.AuthorityRecords));
        var ns = DnsPackets.Parse(Ask(DnsPackets.Query("web.marathon.mesos", DnsPackets.Ns)));
        Assert.Empty(ns.AnswerRecords);
        Assert.IsType<NsRecord>(Assert.Single(ns.AuthorityRecords));
    }

    [Fact]
    public void Respond_Axfr_Refused()
    {
        Assert.Equal(DnsWire.RcodeRefused, DnsPackets.Rcode(Ask(DnsPackets.Query("mesos", DnsPackets.Axfr))));
    }

    [Fact]
    public void Respond_Any_WhatTheNameOwnsOnly()
    {
        var reply = DnsPackets.Parse(Ask(DnsPackets.Query("web.marathon.mesos", DnsPackets.Any)));
        Assert.Equal(4, reply.AnswerRecords.Count);
        Assert.Empty(reply.AuthorityRecords);
    }

    [Fact]
    public void Respond_ManyAnswersOverUdp_CutsAnswersFromTheEndAndSetsTc()
    {
        var bytes = Ask(DnsPackets.Query("big.marathon.mesos", DnsPackets.A), TestZones.Wide(100));
        Assert.True(bytes.Length <= 512);
        Assert.True(DnsPackets.Truncated(bytes));
        var reply = DnsPackets.Parse(bytes);
        Assert.InRange(reply.AnswerRecords.Count, 20, 99);
    }

    [Fact]
    public void Respond_ManyAnswersOverTcp_AllOfThem()
    {
        var bytes = Ask(DnsPackets.Query("big.marathon.mesos", DnsPackets.A), TestZones.Wide(100), udp: false);
        Assert.False(DnsPackets.Truncated(bytes));
        Assert.Equal(100, DnsPackets.Parse(bytes).AnswerRecords.Count);
    }

    [Fact]
    public void Respond_SrvTooBigForAdditional_DropsAdditionalFirst()
    {
        // 8 SRV answers fit in 512 bytes; with their 8 A records they do not.
        var bytes = Ask(DnsPackets.Query("_big._tcp.marathon.mesos", DnsPackets.Srv), TestZones.Wide(8));
        var reply = DnsPackets.Parse(bytes);
        Assert.Equal(8, reply.AnswerRecords.Count);
        Assert.Empty(reply.AdditionalRecords);
        Assert.True(DnsPackets.Truncated(bytes));
    }

    [Fact]
    public void Respond_TruncateBitOff_CutsWithoutTc()
    {
        var bytes = Ask(DnsPackets.Query("big.marathon.mesos", DnsPackets.A), TestZones.Wide(100), options: new DnsServerOptions { SetTruncateBit = false });
        Assert.False(DnsPackets.Truncated(bytes));
        Assert.True(bytes.Length <= 512);
    }

    [Fact]
    public void Respond_Edns_UsesOfferedSizeCappedAt4096AndEchoesOpt()
    {
        var bytes = Ask(DnsPackets.Query("big.marathon.mesos", DnsPackets.A, ednsSize: 65000), TestZones.Wide(1000));
        Assert.InRange(bytes.Length, 3000, 4096);
        Assert.True(DnsPackets.Truncated(bytes));
        var reply = DnsPackets.Parse(bytes);
        Assert.True(reply.IsEDnsEnabled);
        Assert.Equal(4096, reply.EDnsOptions!.UdpPayloadSize);
    }

    [Fact]
    public void Respond_EdnsVersion1_BadVers()
    {
        var reply = DnsPackets.Parse(Ask(DnsPackets.Query("web.marathon.mesos", DnsPackets.A, ednsSize: 1232, ednsVersion: 1)));
        Assert.Equal(ReturnCode.BadVersion, reply.ReturnCode);
    }

    [Fact]
    public void Respond_RepeatedQueries_ShuffleAnswers()
    {
        var responder = new DnsResponder(new DnsServerOptions(), new DnsNames(), new Random(7));
        var buffer = new byte[4096];
        var orders = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            responder.Respond(DnsPackets.Query("web.marathon.mesos", DnsPackets.A), true, Zone, buffer, out var length, out _);
            orders.Add(string.Join(",", DnsPackets.Parse(buffer.AsSpan(0, length)).AnswerRecords.Cast<ARecord>().Select(r => r.Address)));
        }
        Assert.True(orders.Count > 1, "every reply had the same order");
    }

    [Fact]
    public void Respond_NameOutsideZones_ForwardsOrRefusesWithoutRecursion()
    {
        var responder = new DnsResponder(new DnsServerOptions(), new DnsNames(), new Random(1));
        var buffer = new byte[4096];
        Assert.Equal(ResponseKind.Forward, responder.Respond(DnsPackets.Query("example.com", DnsPackets.A), true, Zone, buffer, out _, out _));
        var reply = Ask(DnsPackets.Query("example.com", DnsPackets.A), options: new DnsServerOptions { Recursion = false });
        Assert.Equal(DnsWire.RcodeRefused, DnsPackets.Rcode(reply));
        Assert.Equal(0, reply[3] & 0x80); // RA clear
    }
}
