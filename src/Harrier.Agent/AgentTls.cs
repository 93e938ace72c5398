using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Harrier.Agent;

/// <summary>
/// The agent's side of TLS to the server: which server certificates it trusts (<c>--ca-cert</c>, else the system
/// store) and the client certificate it presents (<c>--tls-client-cert</c>/<c>--tls-client-key</c>, PEM), which a
/// server with <c>--agent-client-ca</c> requires and which must name the agent.
/// </summary>
public static class AgentTls
{
    /// <summary>A handler for <see cref="HttpAgentGateway"/>: system trust unless <paramref name="caCertFile"/> is given.</summary>
    public static SocketsHttpHandler CreateHandler(string? caCertFile, string? clientCertFile, string? clientKeyFile)
    {
        var handler = new SocketsHttpHandler();
        if (caCertFile is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caCertFile);
            if (roots.Count == 0)
            {
                throw new InvalidOperationException($"{caCertFile}: no PEM certificate in it");
            }
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, roots);
        }
        if (clientCertFile is not null)
        {
            handler.SslOptions.ClientCertificates = [LoadPem(clientCertFile, clientKeyFile)];
        }
        return handler;
    }

    /// <summary>A certificate and its key from PEM files (the key may be in the certificate's file).</summary>
    public static X509Certificate2 LoadPem(string certFile, string? keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        // A PEM key is ephemeral; TLS on some platforms wants a key it can find again, which a PKCS#12 round trip gives.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>
    /// The server's chain ends at one of <paramref name="roots"/> (and only those: the system store is not consulted)
    /// and its name matches the URL's host.
    /// </summary>
    internal static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
