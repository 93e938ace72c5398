using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Harrier.LoadBalancer.Tests.Rendering;

/// <summary>
/// A temporary balancer work directory as the live balancer prepares it: a self-signed certificate (PEM certificate
/// and key in one file), stub Lua files registering marathon-lb's six stats-port services, the state directory.
/// Deleted on dispose.
/// </summary>
internal sealed class LiveWorkDirectory : IDisposable
{
    public LiveWorkDirectory()
    {
        Paths = new LbPaths(Directory.CreateTempSubdirectory("harrier-lb-live-").FullName);
        Directory.CreateDirectory(Paths.LuaDirectory);
        Directory.CreateDirectory(Paths.StateDirectory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=harrier-lb-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Paths.DefaultCertificate, cert.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
        WriteLua("getpids.lua", "getpids");
        WriteLua("getconfig.lua", "getconfig");
        WriteLua("getmaps.lua", "getvhostmap", "getappmap");
        WriteLua("signalmlb.lua", "signalmlbhup", "signalmlbusr1");
    }

    public LbPaths Paths { get; }

    public void Dispose() => Directory.Delete(Paths.WorkDirectory, recursive: true);

    private void WriteLua(string file, params string[] services) =>
        File.WriteAllLines(Path.Combine(Paths.LuaDirectory, file), services.Select(s =>
            $"core.register_service(\"{s}\", \"http\", function(applet) applet:set_status(200) applet:start_response() applet:send(\"\") end)"));
}
