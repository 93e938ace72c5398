using System.Security.Cryptography.X509Certificates;

namespace Harrier.Api.Agents;

/// <summary>Client certificates of agents (<c>--agent-client-ca</c>): who issued them and whom they name.</summary>
internal static class AgentCertificates
{
    /// <summary>True when the certificate chains to one of <paramref name="ca"/> (only those: the system store is not consulted).</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2Collection ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>The names a certificate gives its holder: the subject's common name and the DNS names and IP addresses of its SAN.</summary>
    public static IReadOnlySet<string> Names(X509Certificate2 certificate)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } cn)
        {
            names.Add(cn);
        }
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.UnionWith(extension.EnumerateDnsNames());
            names.UnionWith(extension.EnumerateIPAddresses().Select(ip => ip.ToString()));
        }
        return names;
    }
}
