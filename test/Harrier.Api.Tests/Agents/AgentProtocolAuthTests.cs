using System.Net.Http.Headers;
using System.Text;
using Harrier.Api.Agents;
using Harrier.Api.Tests.Endpoints;
using Harrier.Protocol;
using Xunit;

namespace Harrier.Api.Tests.Agents;

/// <summary>The agent protocol's authentication over HTTP: join token, sessions, one stream reader, validation.</summary>
public sealed class AgentProtocolAuthTests
{
    private const string Token = "join-secret-0123456789";

    private static string Registration(string id, string hostname = "remote-host", string resources = """{"cpus":1,"mem":1024,"disk":1000,"gpus":0}""") =>
        $$$"""{"protocolVersion":{{{ProtocolVersion.Current}}},"agent":{"id":"{{{id}}}","hostname":"{{{hostname}}}","resources":{{{resources}}}},"tasks":[]}""";

    private static async Task<HttpResponseMessage> RegisterAsync(ApiHost api, string body, string? token = null, string? session = null, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/harrier/v1/agents/register") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (session is not null)
        {
            request.Headers.Add(AgentProtocolHeaders.Session, session);
        }
        if (secret is not null)
        {
            request.Headers.Add(AgentProtocolHeaders.Secret, secret);
        }
        return await api.Client.SendAsync(request);
    }

    [Fact]
    public async Task Register_TokenConfigured_WithoutOrWrongTokenIs401_RightTokenGetsASession()
    {
        await using var api = await ApiHost.StartAsync(agentAuth: new AgentAuthOptions { JoinToken = Token });

        using var none = await RegisterAsync(api, Registration("remote-1"));
        using var wrong = await RegisterAsync(api, Registration("remote-1"), token: "join-secret-0123456780");
        using var right = await RegisterAsync(api, Registration("remote-1"), token: Token);

        Assert.Equal(401, (int)none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("join token", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(401, (int)wrong.StatusCode);
        Assert.Equal(200, (int)right.StatusCode);
        Assert.NotEmpty(right.Headers.GetValues(AgentProtocolHeaders.Session).Single());
    }

    [Fact]
    public async Task Register_ProvenIdTakenOver_OnlyWithTheSecret_OldSessionStopsWorking()
    {
        await using var api = await ApiHost.StartAsync();
        var secret = AgentIdProof.NewSecret();
        var id = AgentIdProof.IdFor(secret).Value;
        using var first = await RegisterAsync(api, Registration(id), secret: secret);
        var session = first.Headers.GetValues(AgentProtocolHeaders.Session).Single();

        using var hijack = await RegisterAsync(api, Registration(id));
        Assert.Equal(403, (int)hijack.StatusCode);
        Assert.Equal(204, (await api.SendAsync("POST", $"/harrier/v1/agents/{id}/heartbeat", session: session)).Status);

        using var restarted = await RegisterAsync(api, Registration(id), secret: secret);
        Assert.Equal(200, (int)restarted.StatusCode);
        Assert.Equal(401, (await api.SendAsync("POST", $"/harrier/v1/agents/{id}/heartbeat", session: session)).Status);
    }

    [Fact]
    public async Task Register_LocalAgentsId_OverHttp_Is403()
    {
        await using var api = await ApiHost.StartAsync();
        var local = (await api.GetAsync("/v2/agents"))["agents"]![0]!["id"]!.GetValue<string>();

        using var hijack = await RegisterAsync(api, Registration(local, "127.0.0.1"));

        Assert.Equal(403, (int)hijack.StatusCode);
    }

    [Fact]
    public async Task Commands_AnotherAgentsStreamIs403_WithoutSessionIs401()
    {
        await using var api = await ApiHost.StartAsync();
        var session = await api.RegisterRemoteAgentAsync("remote-1");

        var (other, body, _) = await api.SendAsync("GET", "/harrier/v1/agents/remote-2/commands", session: session);
        var (anonymous, _, _) = await api.SendAsync("GET", "/harrier/v1/agents/remote-1/commands");
        var (forged, _, _) = await api.SendAsync("GET", "/harrier/v1/agents/remote-1/commands", session: session + "x");

        Assert.Equal(403, other);
        Assert.Equal("This session belongs to agent remote-1, not remote-2.", body!["message"]!.GetValue<string>());
        Assert.Equal(401, anonymous);
        Assert.Equal(401, forged);
    }

    [Fact]
    public async Task Status_ForAnotherAgent_Is403()
    {
        await using var api = await ApiHost.StartAsync();
        var session = await api.RegisterRemoteAgentAsync("mallory");
        var local = (await api.GetAsync("/v2/agents"))["agents"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).First(a => a != "mallory");

        var (status, body, _) = await api.SendAsync(
            "POST",
            "/harrier/v1/agents/status",
            $$"""{"updateId":"{{Guid.NewGuid()}}","agentId":"{{local}}","taskId":"x.instance-{{Guid.NewGuid()}}._app.1","state":"killed","timestamp":"2026-11-22T10:00:00.000Z"}""",
            session);

        Assert.Equal(403, status);
        Assert.Equal($"This session belongs to agent mallory, not {local}.", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Register_NegativeCpus_Is422WithDetails()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, answer, _) = await api.SendAsync("POST", "/harrier/v1/agents/register", Registration("remote-1", resources: """{"cpus":-1,"mem":1024,"disk":1000,"gpus":0}"""));

        Assert.Equal(422, status);
        Assert.Equal("Object is not valid", answer!["message"]!.GetValue<string>());
        Assert.Equal("/agent/resources/cpus", answer["details"]![0]!["path"]!.GetValue<string>());
    }
}
