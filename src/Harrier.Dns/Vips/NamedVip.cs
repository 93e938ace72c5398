using System.Net;
using Harrier.Dns.Records;

namespace Harrier.Dns.Vips;

/// <summary>A named VIP's address: the label as written (<c>/myapp</c>), its framework and the address it got.</summary>
public sealed record NamedVip(string Label, string Framework, IPAddress Address)
{
    /// <summary><c>myapp.marathon.l4lb.thisdcos.directory</c>.</summary>
    public string DnsName => L4lbName.DnsName(Label, Framework);

    /// <summary>Its record in the <c>l4lb.thisdcos.directory</c> zone, for a <see cref="RecordBook"/>. <c>/myapp</c>
    /// and <c>myapp</c> are two VIPs with one name: the name answers both addresses.</summary>
    public RecordContribution ToContribution() =>
        new("l4lb/" + Framework + "/" + Label, [DnsRecord.Address(DnsName + ".", Address)]) { Framework = Framework };
}
