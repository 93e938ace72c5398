using Harrier.Testing;
using Harrier.Testing.Tls;
using Xunit;

namespace Harrier.E2E.Tests.Security;

/// <summary>
/// Issue 14, TLS: the API and the agent protocol over HTTPS (<c>--tls-cert</c>/<c>--tls-key</c>), agents that verify
/// the server (<c>--ca-cert</c>, else the system store), and client certificates that name the agent
/// (<c>--agent-client-ca</c>). Certificates are made by the test (<see cref="TestCertificates"/>).
/// </summary>
public sealed class TlsTests
{
    [Fact]
    public async Task ApiOverHttps_WithTheCa_ServesTheApiAndAnAgentJoins()
    {
        using var pki = TestCertificates.Create();
        await using var server = await HarrierDev.StartServerAsync(pki.TrustingHandler(), "--tls-cert", pki.ServerCert, "--tls-key", pki.ServerKey);

        var info = await server.GetJsonAsync("/v2/info");
        Assert.Equal("marathon", info["name"]!.GetValue<string>());
        using (var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync($"http://127.0.0.1:{server.Port}/v2/info", TestContext.Current.CancellationToken));
        }
        using (var untrusting = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(server.Url + "v2/info", TestContext.Current.CancellationToken));
        }

        await using var agent = new HarrierAgentProcess(server, "tls", "--hostname", "127.0.0.2", "--cpus", "1", "--mem", "256", "--ca-cert", pki.CaCert);
        await agent.StartAsync(expectedAgents: 1);
        await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/secure","cmd":"sleep 3600","cpus":0.1,"mem":16,"instances":1}""");
        await server.WaitForRunningAsync("/secure", 1);
    }

    [Fact]
    public async Task Agent_UntrustedServer_RefusesToJoin()
    {
        using var pki = TestCertificates.Create();
        using var other = TestCertificates.Create("Some other CA");
        await using var server = await HarrierDev.StartServerAsync(pki.TrustingHandler(), "--tls-cert", pki.ServerCert, "--tls-key", pki.ServerKey);
        await using var systemTrust = new HarrierAgentProcess(server, "system", "--hostname", "127.0.0.2", "--cpus", "1", "--mem", "256");
        await using var otherCa = new HarrierAgentProcess(server, "other", "--hostname", "127.0.0.3", "--cpus", "1", "--mem", "256", "--ca-cert", other.CaCert);

        await systemTrust.StartAsync(expectedAgents: 0);
        await otherCa.StartAsync(expectedAgents: 0);

        await Eventually.TrueAsync(
            () => Task.FromResult(IsTlsFailure(systemTrust.Output) && IsTlsFailure(otherCa.Output)),
            TimeSpan.FromSeconds(20),
            "both agents to give up on the server's certificate");
        Assert.Empty((await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray());
    }

    [Fact]
    public async Task ClientCertificate_ForAgentA_CannotRegisterAsB()
    {
        using var pki = TestCertificates.Create();
        var (certA, keyA) = pki.Client("127.0.0.2");
        await using var server = await HarrierDev.StartServerAsync(
            pki.TrustingHandler(), "--tls-cert", pki.ServerCert, "--tls-key", pki.ServerKey, "--agent-client-ca", pki.CaCert);
        string[] tls = ["--ca-cert", pki.CaCert, "--tls-client-cert", certA, "--tls-client-key", keyA];
        await using var a = new HarrierAgentProcess(server, "a", ["--hostname", "127.0.0.2", "--cpus", "1", "--mem", "256", .. tls]);
        await using var b = new HarrierAgentProcess(server, "b", ["--hostname", "127.0.0.3", "--cpus", "1", "--mem", "256", .. tls]);
        await using var anonymous = new HarrierAgentProcess(server, "n", "--hostname", "127.0.0.4", "--cpus", "1", "--mem", "256", "--ca-cert", pki.CaCert);

        await a.StartAsync(expectedAgents: 1);
        await b.StartAsync(expectedAgents: 1);
        await anonymous.StartAsync(expectedAgents: 1);

        await Eventually.TrueAsync(
            () => Task.FromResult(b.Output.Contains("HTTP 403", StringComparison.Ordinal) && anonymous.Output.Contains("HTTP 401", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20),
            "B's registration refused (403) and the certificate-less agent's (401)");
        Assert.Contains("The client certificate names 127.0.0.2, not agent", b.Output, StringComparison.Ordinal);
        var agents = (await server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray();
        Assert.Equal("127.0.0.2", Assert.Single(agents)!["hostname"]!.GetValue<string>());
    }

    private static bool IsTlsFailure(string output) =>
        output.Contains("SSL connection could not be established", StringComparison.Ordinal)
        || output.Contains("AuthenticationException", StringComparison.Ordinal);
}
