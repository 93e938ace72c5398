using Harrier.Dns.Records;
using Xunit;

namespace Harrier.Dns.Tests.Records;

public sealed class LabelsTests
{
    [Fact]
    public void Labels_LabelSanitizingFixture_EveryCaseMatchesMesosDns()
    {
        var cases = Fixtures.Json("mesos-dns", "label-sanitizing.json")["cases"]!.AsArray();

        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var input = c!["input"]!.GetValue<string>();
            Assert.Equal(c["rfc952_label"]!.GetValue<string>(), Labels.Rfc952(input));
            Assert.Equal(c["rfc1123_label"]!.GetValue<string>(), Labels.Rfc1123(input));
            Assert.Equal(c["domainfrag_rfc952"]!.GetValue<string>(), Labels.DomainFrag(input, Labels.Rfc952));
            Assert.Equal(c["domainfrag_rfc1123"]!.GetValue<string>(), Labels.DomainFrag(input, Labels.Rfc1123));
        }
    }

    [Theory]
    [InlineData("89fdgsf---gs7-fgs--d7fddg-123", "fdgsf---gs7-fgs--d7fddg1")]
    [InlineData("chronos with a space AND MIXED CASE-2.0.1", "chronoswithaspaceandmixe")]
    public void Rfc952_CutEndsInDash_RefilledFromAfterTheCut(string input, string expected) =>
        Assert.Equal(expected, Labels.Rfc952(input));

    [Fact]
    public void DcosLabels_NamedVipFixtureLabels_MatchMesosState()
    {
        var labels = Fixtures.Json("dcos-net", "named-vip-names-and-ips.json")["labels"]!.AsArray();

        Assert.NotEmpty(labels);
        foreach (var l in labels)
        {
            var input = l!["input"]!.GetValue<string>();
            Assert.Equal(l["mesos_state_label"]!.GetValue<string>(), DcosLabels.Label(input));
            Assert.Equal(l["mesos_state_domain_frag"]!.GetValue<string>(), DcosLabels.DomainFrag(input));
        }
    }

    [Theory]
    // mesos_state's own unit tests (remap_test).
    [InlineData("fd%gsf---gs7-f$gs--d7fddg-123", "fdgsf---gs7-fgs--d7fddg-123")]
    [InlineData("##fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789-", "fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789")]
    [InlineData("fd%gsf---gs7-f$gs--d7fddg123456789012345678901234567890123456789-123", "fdgsf---gs7-fgs--d7fddg1234567890123456789012345678901234567891")]
    [InlineData("%%fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789---123", "fdgsf---gs7-fgs--d7fddg1234567890123456789012345678901234567891")]
    [InlineData("-4abc123", "4abc123")]
    [InlineData("89fdgsf---gs7-fgs--d7fddg-", "89fdgsf---gs7-fgs--d7fddg")]
    [InlineData("0-0", "0-0")]
    [InlineData("/my/group/app", "mygroupapp")]
    [InlineData("Ünïcode_App", "ncode-app")]
    public void DcosLabels_Label_MatchesMesosStateTests(string input, string expected) =>
        Assert.Equal(expected, DcosLabels.Label(input));

    [Theory]
    [InlineData("", "")]
    [InlineData("f", "ca")]
    [InlineData("fo", "c3zo")]
    [InlineData("foo", "c3zs6")]
    [InlineData("foob", "c3zs6ao")]
    [InlineData("fooba", "c3zs6aub")]
    [InlineData("foobar", "c3zs6aubqe")]
    public void Zbase32_Encode_FiveBitsPerCharacterMostSignificantFirst(string input, string expected) =>
        Assert.Equal(expected, Zbase32.Encode(System.Text.Encoding.ASCII.GetBytes(input)));
}
