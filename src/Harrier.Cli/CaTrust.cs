using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Harrier.Cli;

/// <summary>
/// <c>--ca-cert FILE</c> (or <c>HARRIER_CA_CERT</c>): trust a server whose certificate chains to the PEM CA(s) in FILE
/// (a cluster's own CA), instead of the system store. Host names are still checked.
/// </summary>
internal static class CaTrust
{
    public const string EnvironmentVariable = "HARRIER_CA_CERT";

    /// <returns>A handler trusting the file's CAs, or null when no CA is given; throws CliInputException for a bad file.</returns>
    public static SocketsHttpHandler? Handler(string? flag, Func<string, string?> getEnv)
    {
        var path = !string.IsNullOrEmpty(flag) ? flag : getEnv(EnvironmentVariable);
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliInputException($"cannot read the CA certificate {path}: {e.Message}");
        }
        if (roots.Count == 0)
        {
            throw new CliInputException($"no certificate in {path}");
        }
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        return new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
    }
}
