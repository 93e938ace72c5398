using System.Security.Cryptography.X509Certificates;
using Harrier.LoadBalancer.Haproxy;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Haproxy;

public sealed class LuaServicesAndCertificateTests
{
    [Fact]
    public void Literal_QuotesBackslashesNewlines_Escaped()
    {
        LuaServices.Literal("/tmp/a\"b\\c\nd]]").ShouldBe("\"/tmp/a\\034b\\092c\\010d]]\"");
    }

    [Fact]
    public async Task Write_WorkDirWithQuote_LuaStillLoads()
    {
        var skip = Requirements.Binary("haproxy");
        Assert.SkipWhen(skip is not null, skip ?? "");
        var dir = Path.Combine(Path.GetTempPath(), "harrier-lua-" + Path.GetRandomFileName() + "\"x");
        try
        {
            var paths = new LbPaths(dir);
            LuaServices.Write(paths, 8080);
            var config = Path.Combine(dir, "check.cfg");
            File.WriteAllText(config, "global\n" + string.Concat(LuaServices.Files.Select(f => $"  lua-load \"{Path.Combine(paths.LuaDirectory, f).Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n"))
                + $"listen l\n  mode http\n  timeout client 1s\n  bind 127.0.0.1:{HaproxyTestBed.FreePort()}\n");

            var (code, output) = await HaproxyProcess.RunAsync("haproxy", ["-c", "-f", config], TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

            code.ShouldBe(0, output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void EnsureSelfSigned_Missing_WritesCertAndKeyPemOwnerOnly()
    {
        var dir = Path.Combine(Path.GetTempPath(), "harrier-cert-" + Path.GetRandomFileName());
        var path = Path.Combine(dir, "cert.pem");
        try
        {
            CertificateFactory.EnsureSelfSigned(path).ShouldBeTrue();

            var pem = File.ReadAllText(path);
            pem.ShouldContain("-----BEGIN CERTIFICATE-----");
            pem.ShouldContain("-----BEGIN PRIVATE KEY-----");
            using var cert = X509Certificate2.CreateFromPem(pem, pem);
            cert.HasPrivateKey.ShouldBeTrue();
            cert.Subject.ShouldBe("CN=*");
            (OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(path)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            CertificateFactory.EnsureSelfSigned(path).ShouldBeFalse();
            File.ReadAllText(path).ShouldBe(pem);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task EnsureSelfSigned_HaproxyAcceptsItForAnSslBind()
    {
        var skip = Requirements.Binary("haproxy");
        Assert.SkipWhen(skip is not null, skip ?? "");
        var dir = Path.Combine(Path.GetTempPath(), "harrier-cert-" + Path.GetRandomFileName());
        try
        {
            var cert = Path.Combine(dir, "cert.pem");
            CertificateFactory.EnsureSelfSigned(cert);
            var config = Path.Combine(dir, "ssl.cfg");
            File.WriteAllText(config, $"defaults\n  mode http\n  timeout client 1s\nfrontend https\n  bind 127.0.0.1:{HaproxyTestBed.FreePort()} ssl crt {cert}\n");

            var (code, output) = await HaproxyProcess.RunAsync("haproxy", ["-c", "-f", config], TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

            code.ShouldBe(0, output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
