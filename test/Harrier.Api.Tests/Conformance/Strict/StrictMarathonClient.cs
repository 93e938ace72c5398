using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using static Harrier.Api.Tests.Conformance.Strict.MarathonModels;

namespace Harrier.Api.Tests.Conformance.Strict;

/// <summary>
/// A Marathon client as strict as the Python one: plain Marathon requests (no Harrier header), every answer and event
/// constructed through <see cref="StrictJson"/>.
/// </summary>
internal sealed class StrictMarathonClient(HttpClient http)
{
    public async Task<Info> InfoAsync() => StrictJson.Parse<Info>(await GetAsync("/v2/info"));

    public async Task<AppSingle> CreateAppAsync(string json) => new(StrictJson.Parse<App>(await SendAsync(HttpMethod.Post, "/v2/apps", json)));

    public async Task<AppList> AppsAsync(string query = "") => StrictJson.Parse<AppList>(await GetAsync("/v2/apps" + query));

    public async Task<AppSingle> AppAsync(string id, string query = "") => StrictJson.Parse<AppSingle>(await GetAsync($"/v2/apps{id}{query}"));

    public async Task<DeploymentResult> UpdateAppAsync(string id, string json) => StrictJson.Parse<DeploymentResult>(await SendAsync(HttpMethod.Put, $"/v2/apps{id}", json));

    public async Task<DeploymentResult> DeleteAppAsync(string id) => StrictJson.Parse<DeploymentResult>(await SendAsync(HttpMethod.Delete, $"/v2/apps{id}", null));

    public async Task<TaskList> AppTasksAsync(string id) => StrictJson.Parse<TaskList>(await GetAsync($"/v2/apps{id}/tasks"));

    public async Task<TaskList> TasksAsync() => StrictJson.Parse<TaskList>(await GetAsync("/v2/tasks"));

    public async Task<TaskSingle> KillTaskAsync(string id, string taskId) => StrictJson.Parse<TaskSingle>(await SendAsync(HttpMethod.Delete, $"/v2/apps{id}/tasks/{taskId}", null));

    public async Task<Deployment[]> DeploymentsAsync() => StrictJson.Parse<Deployment[]>(await GetAsync("/v2/deployments"));

    public async Task<DeploymentResult> RollBackAsync(string deploymentId) => StrictJson.Parse<DeploymentResult>(await SendAsync(HttpMethod.Delete, $"/v2/deployments/{deploymentId}", null));

    public async Task<QueueList> QueueAsync() => StrictJson.Parse<QueueList>(await GetAsync("/v2/queue"));

    public async Task<Group> GroupAsync(string id = "") => StrictJson.Parse<Group>(await GetAsync("/v2/groups" + id));

    public async Task<DeploymentResult> CreateGroupAsync(string json) => StrictJson.Parse<DeploymentResult>(await SendAsync(HttpMethod.Post, "/v2/groups", json));

    public async Task<DeploymentResult> UpdateGroupAsync(string id, string json) => StrictJson.Parse<DeploymentResult>(await SendAsync(HttpMethod.Put, "/v2/groups" + id, json));

    public async Task<DeploymentResult> DeleteGroupAsync(string id) => StrictJson.Parse<DeploymentResult>(await SendAsync(HttpMethod.Delete, "/v2/groups" + id, null));

    public async Task<string[]> GroupVersionsAsync(string id) => StrictJson.Parse<string[]>(await GetAsync($"/v2/groups{id}/versions"));

    public async Task<Group> GroupVersionAsync(string id, string version) => StrictJson.Parse<Group>(await GetAsync($"/v2/groups{id}/versions/{version}"));

    /// <summary>The unfiltered event stream, each event constructed as it arrives.</summary>
    public async IAsyncEnumerable<object> EventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        string? type = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                yield return StrictJson.ParseEvent(type!, line[6..]);
            }
        }
    }

    private Task<string> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    private async Task<string> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
    }
}
