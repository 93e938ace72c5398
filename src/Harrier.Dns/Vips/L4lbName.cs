using Harrier.Dns.Records;

namespace Harrier.Dns.Vips;

/// <summary>
/// Named-VIP names as dcos-net makes them (<c>dcos_l4lb_lashup_vip_listener:to_name</c>): every piece through
/// mesos_state's domain_frag, joined with '.'. So <c>/my/group/app</c> on framework <c>marathon</c> is
/// <c>mygroupapp.marathon.l4lb.thisdcos.directory</c> — slashes vanish, dots stay label separators.
/// </summary>
public static class L4lbName
{
    public const string Zone = "l4lb.thisdcos.directory";

    public static string ToName(params string[] parts) => string.Join('.', parts.Select(DcosLabels.DomainFrag));

    /// <summary>The key the address hash is taken over: <c>myapp.marathon</c>.</summary>
    public static string Key(string label, string framework) => ToName(label, framework);

    /// <summary>The DNS name (relative, no trailing dot): <c>myapp.marathon.l4lb.thisdcos.directory</c>.</summary>
    public static string DnsName(string label, string framework) => ToName(label, framework, "l4lb", "thisdcos", "directory");
}
