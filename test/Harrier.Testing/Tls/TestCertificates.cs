using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Harrier.Testing.Tls;

/// <summary>
/// A throwaway PKI for TLS tests, made with <see cref="CertificateRequest"/> (no files in the repository): a CA, a
/// server certificate for 127.0.0.1/localhost and client certificates naming agents, written as PEM files into a
/// temporary directory that disposing removes.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;

    private TestCertificates(string dir, string name)
    {
        Dir = dir;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CaCert = Path.Combine(dir, "ca.pem");
        File.WriteAllText(CaCert, _ca.ExportCertificatePem());
        (ServerCert, ServerKey) = Issue("server", ["127.0.0.1", "localhost"], serverAuth: true);
    }

    public string Dir { get; }

    public string CaCert { get; }

    public string ServerCert { get; }

    public string ServerKey { get; }

    public static TestCertificates Create(string name = "Harrier test CA") =>
        new(Directory.CreateTempSubdirectory("harrier-tls-").FullName, name);

    /// <summary>A client certificate whose subject and SAN name <paramref name="name"/> (an IP address or a DNS name).</summary>
    public (string Cert, string Key) Client(string name) => Issue("client-" + name, [name], serverAuth: false);

    /// <summary>An HTTP handler that trusts this CA only.</summary>
    public HttpClientHandler TrustingHandler()
    {
        var roots = new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(_ca.RawData));
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch))
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
    }

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(Dir, recursive: true);
    }

    private (string Cert, string Key) Issue(string file, string[] names, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        var certPath = Path.Combine(Dir, file + ".pem");
        var keyPath = Path.Combine(Dir, file + ".key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }
}
