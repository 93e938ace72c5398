namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// One vhost's share of <c>--group-https-by-vhost</c>: its SNI rule lines (with the weight that orders them), the
/// certificates and bind options its TLS frontend terminates with.
/// </summary>
internal sealed class GroupedVhost
{
    public List<(int Weight, string Text)> Entries { get; } = [];

    public List<string> Certs { get; } = [];

    public List<string> BindOptions { get; } = [];

    public void Merge(GroupedVhost other)
    {
        Entries.AddRange(other.Entries);
        foreach (var cert in other.Certs.Where(c => !Certs.Contains(c)))
        {
            Certs.Add(cert);
        }
        foreach (var options in other.BindOptions.Where(o => !BindOptions.Contains(o)))
        {
            BindOptions.Add(options);
        }
    }

    public void AddCert(string cert)
    {
        if (!Certs.Contains(cert))
        {
            Certs.Add(cert);
        }
    }

    public void AddBindOptions(string options)
    {
        if (!BindOptions.Contains(options))
        {
            BindOptions.Add(options);
        }
    }
}
