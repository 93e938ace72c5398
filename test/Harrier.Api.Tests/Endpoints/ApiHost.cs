using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.Agent;
using Harrier.Server;
using Harrier.State;
using Harrier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harrier.Api.Tests.Endpoints;

/// <summary>
/// The whole API in-process on a TestServer: real orchestrator, in-memory store, and the real agent on its fake
/// driver (tasks "run" without processes), wired exactly as <c>harrier dev</c> wires them.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _workDir;

    private ApiHost(WebApplication app, string workDir)
    {
        _app = app;
        _workDir = workDir;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    /// <summary>A handler into the test server, for clients other than <see cref="Client"/> (a remote agent's gateway).</summary>
    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    /// <param name="auth">Turns authentication on; <paramref name="clientAuthorization"/> is then what <see cref="Client"/> sends.</param>
    public static async Task<ApiHost> StartAsync(int agentPortsEnd = 32000, Action<AgentOptions>? agent = null, Action<ServerOptions>? server = null, Action<Harrier.Api.Security.AuthOptions>? auth = null, System.Net.Http.Headers.AuthenticationHeaderValue? clientAuthorization = null, Harrier.Api.Agents.AgentAuthOptions? agentAuth = null)
    {
        var workDir = Path.Combine(Path.GetTempPath(), "harrier-api-" + Guid.NewGuid().ToString("N")[..8]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IClusterStore>(new InMemoryClusterStore());
        builder.Services.AddHarrierServer(o =>
        {
            o.ReconcileInterval = TimeSpan.FromMilliseconds(50);
            o.RandomSeed = 1;
            server?.Invoke(o);
        });
        if (agentAuth is not null)
        {
            builder.Services.AddSingleton(agentAuth);
        }
        builder.Services.AddHarrierApi(auth);
        builder.Services.AddHarrierAgent(a =>
        {
            a.WorkDir = workDir;
            a.Hostname = "127.0.0.1";
            a.Driver = "fake";
            a.Cpus = 4;
            a.Mem = 4096;
            a.Disk = 10_000;
            a.Ports = [new(31000, agentPortsEnd)];
            agent?.Invoke(a);
        });
        var app = builder.Build();
        app.UseMarathonApi();
        await app.StartAsync();
        var host = new ApiHost(app, workDir);
        host.Client.DefaultRequestHeaders.Authorization = clientAuthorization;
        await Eventually.TrueAsync(async () => (await host.GetHarrierAsync("/v2/info"))["harrier"]!["agents"]!.GetValue<int>() == 1, TimeSpan.FromSeconds(10), "the agent to register");
        return host;
    }

    /// <summary>A GET as Marathon clients send it: Marathon's shapes only.</summary>
    public Task<JsonNode> GetAsync(string path) => GetAsync(path, extensions: false);

    /// <summary>A GET that opts in to Harrier's extensions (<c>Harrier-Extensions: true</c>, as the CLI sends).</summary>
    public Task<JsonNode> GetHarrierAsync(string path) => GetAsync(path, extensions: true);

    private async Task<JsonNode> GetAsync(string path, bool extensions)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (extensions)
        {
            request.Headers.Add("Harrier-Extensions", "true");
        }
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : throw new HttpRequestException($"{path}: {(int)response.StatusCode} {text}");
    }

    /// <summary>Registers an agent over HTTP, as <c>harrier agent</c> would, and returns the session it was given.</summary>
    public async Task<string> RegisterRemoteAgentAsync(string id, string hostname = "remote-host")
    {
        var (status, body, response) = await SendAsync(
            "POST",
            "/harrier/v1/agents/register",
            $$$"""{"protocolVersion":{{{Harrier.Protocol.ProtocolVersion.Current}}},"agent":{"id":"{{{id}}}","hostname":"{{{hostname}}}","resources":{"cpus":1,"mem":1024,"disk":1000,"gpus":0}},"tasks":[]}""");
        return status == 200 && response.Headers.TryGetValues(Harrier.Protocol.AgentProtocolHeaders.Session, out var values)
            ? values.Single()
            : throw new HttpRequestException($"registration of {id}: {status} {body}");
    }

    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(string method, string path, string? body = null, string? session = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (session is not null)
        {
            request.Headers.Add(Harrier.Protocol.AgentProtocolHeaders.Session, session);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            json = JsonValue.Create(text);
        }
        return ((int)response.StatusCode, json, response);
    }

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> PostAppAsync(object app) =>
        SendAsync("POST", "/v2/apps", JsonContent.Create(app).ReadAsStringAsync().Result);

    public Task WaitForRunningAsync(string id, int count) =>
        Eventually.TrueAsync(async () =>
        {
            var app = (await GetAsync($"/v2/apps{id}"))["app"]!;
            var deployments = (await GetAsync("/v2/deployments")).AsArray().Count;
            return app["tasksRunning"]!.GetValue<int>() == count && app["tasks"]!.AsArray().Count == count && deployments == 0;
        }, TimeSpan.FromSeconds(10), $"{count} running tasks of {id}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        // A launch still finishing while the host stops can recreate a sandbox right after a delete: delete until
        // the work dir stays gone (bounded).
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                Directory.Delete(_workDir, true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            await Task.Delay(50);
            if (!Directory.Exists(_workDir))
            {
                return;
            }
        }
    }
}
