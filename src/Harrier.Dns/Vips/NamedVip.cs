using System.Net;

namespace Harrier.Dns.Vips;

/// <summary>A named VIP's address: the label as written (<c>/myapp</c>), its framework and the address it got.</summary>
public sealed record NamedVip(string Label, string Framework, IPAddress Address)
{
    /// <summary><c>myapp.marathon.l4lb.thisdcos.directory</c>.</summary>
    public string DnsName => L4lbName.DnsName(Label, Framework);
}
