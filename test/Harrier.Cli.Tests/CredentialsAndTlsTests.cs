using System.Security.Cryptography.X509Certificates;
using Harrier.Cli.Tests.Fakes;
using Harrier.Testing.Tls;
using Shouldly;
using Xunit;

namespace Harrier.Cli.Tests;

/// <summary>Credentials and a private CA, over real loopback sockets.</summary>
public sealed class CredentialsAndTlsTests
{
    private const string Info = """{"name":"harrier","version":"1.0","leader":"127.0.0.1:8080","frameworkId":"f","elected":true}""";

    private static Task<string> ServeOnceAsync(RawHttpServer server, CancellationToken ct) => Task.Run(async () =>
    {
        var (requestLine, write, close) = await server.AcceptAsync(ct);
        await write($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Info.Length}\r\nConnection: close\r\n\r\n{Info}");
        close();
        return requestLine;
    }, ct);

    [Theory]
    [InlineData(new[] { "--token", "hrt_abc" }, "", "Authorization: Bearer hrt_abc")]
    [InlineData(new[] { "--user", "alice:pw" }, "", "Authorization: Basic YWxpY2U6cHc=")]
    [InlineData(new string[0], "HARRIER_TOKEN=hrt_env", "Authorization: Bearer hrt_env")]
    [InlineData(new string[0], "HARRIER_USER=alice;HARRIER_PASSWORD=pw", "Authorization: Basic YWxpY2U6cHc=")]
    public async Task Credentials_FlagsAndEnvironment_AreSentAsAuthorization(string[] flags, string env, string expected)
    {
        using var server = new RawHttpServer();
        var ct = TestContext.Current.CancellationToken;
        var serve = ServeOnceAsync(server, ct);
        var variables = env.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        variables["HARRIER_URL"] = server.Url.ToString();
        var result = await Cli.RunAsync(handler: null, ["info", "--json", .. flags], env: variables);
        result.ExitCode.ShouldBe(0, result.Error);
        await serve.WaitAsync(TimeSpan.FromSeconds(10), ct);
        server.LastHead.ShouldContain(expected + "\r\n");
    }

    [Fact]
    public async Task Credentials_UserWithoutPassword_IsAUsageError()
    {
        var result = await Cli.RunAsync(handler: null, ["info", "--user", "alice"], env: new Dictionary<string, string> { ["HARRIER_URL"] = "http://127.0.0.1:1" });
        result.ExitCode.ShouldBe(64);
        result.Error.ShouldContain("has no password");
    }

    [Fact]
    public async Task CaCert_TrustsAServerSignedByIt_AndOnlyThen()
    {
        using var pki = TestCertificates.Create();
        using var pem = X509Certificate2.CreateFromPemFile(pki.ServerCert, pki.ServerKey);
        using var leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        var caFile = pki.CaCert;
        var ct = TestContext.Current.CancellationToken;
        using (var server = new RawHttpServer(leaf))
        {
            var serve = ServeOnceAsync(server, ct);
            var trusted = await Cli.RunAsync(handler: null, ["info", "--json", "--ca-cert", caFile], env: new Dictionary<string, string> { ["HARRIER_URL"] = server.Url.ToString() });
            trusted.ExitCode.ShouldBe(0, trusted.Error);
            trusted.Out.ShouldContain("\"harrier\"");
            await serve.WaitAsync(TimeSpan.FromSeconds(10), ct);
        }
        using (var server = new RawHttpServer(leaf))
        {
            // Without the CA the system store does not trust the server: the CLI refuses to talk to it.
            _ = ServeOnceAsync(server, ct).ContinueWith(_ => { }, ct, TaskContinuationOptions.None, TaskScheduler.Default);
            var untrusted = await Cli.RunAsync(handler: null, ["info", "--json"], env: new Dictionary<string, string> { ["HARRIER_URL"] = server.Url.ToString() });
            untrusted.ExitCode.ShouldBe(2);
            untrusted.Out.ShouldNotContain("harrier");
        }
        var missing = await Cli.RunAsync(handler: null, ["info", "--ca-cert", caFile + ".missing"], env: new Dictionary<string, string> { ["HARRIER_URL"] = "https://127.0.0.1:1" });
        missing.ExitCode.ShouldBe(64);
        missing.Error.ShouldContain("cannot read the CA certificate");
    }
}
