using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// The certificate the HTTPS frontend binds when the operator gave none, as marathon-lb's <c>run</c> made one: RSA
/// 2048, subject <c>CN=*</c>, ten years, certificate and private key in one PEM file (what HAProxy's <c>crt</c> reads).
/// </summary>
public static class CertificateFactory
{
    /// <summary>Creates the file (mode 0600) when it is missing; returns true when it created it.</summary>
    public static bool EnsureSelfSigned(string path) => EnsureSelfSigned(path, TimeProvider.System);

    public static bool EnsureSelfSigned(string path, TimeProvider time)
    {
        if (File.Exists(path))
        {
            return false;
        }
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=*", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        var pem = new StringBuilder()
            .Append(certificate.ExportCertificatePem()).Append('\n')
            .Append(key.ExportPkcs8PrivateKeyPem()).Append('\n')
            .ToString();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temp, create))
        {
            stream.Write(Encoding.ASCII.GetBytes(pem));
        }
        File.Move(temp, path, overwrite: false);
        return true;
    }
}
