using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>The groups API (<c>/v2/groups</c>, §2.2): a group id of <c>/</c> or empty is the root group.</summary>
public sealed partial class HarrierClient
{
    /// <param name="embed">Comma-separated embeds (<c>group.groups,group.apps,group.apps.tasks</c>); null = the server's default.</param>
    public async Task<GroupInfo> GetGroupAsync(string id, string? embed = null, CancellationToken cancellationToken = default)
    {
        var embeds = (embed ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (body, _) = await SendJsonAsync(HttpMethod.Get, ApiPaths.WithQuery(ApiPaths.Group(id), [.. embeds.Select(e => ("embed", (string?)e))]), null, cancellationToken);
        return GroupInfo.FromJson(AsObject(body));
    }

    /// <summary><c>POST /v2/groups</c>: creates the group the body's <c>id</c> names (409 when it exists).</summary>
    public Task<DeploymentResult> CreateGroupAsync(JsonObject group, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        return DeployAsync(HttpMethod.Post, ApiPaths.WithQuery("v2/groups", ("force", ApiPaths.Flag(force))), group, cancellationToken);
    }

    /// <summary><c>PUT /v2/groups/{id}</c>: creates or changes the group; a given <c>apps</c> or <c>groups</c> list replaces the stored one.</summary>
    public Task<DeploymentResult> UpdateGroupAsync(string id, JsonObject group, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        return DeployAsync(HttpMethod.Put, ApiPaths.WithQuery(ApiPaths.Group(id), ("force", ApiPaths.Flag(force))), group, cancellationToken);
    }

    /// <summary><c>PUT /v2/groups/{id}?dryRun=true</c>: the steps the change would run (<c>{"steps":[…]}</c>), nothing deployed.</summary>
    public async Task<JsonObject> PreviewGroupUpdateAsync(string id, JsonObject group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        var (body, _) = await SendJsonAsync(HttpMethod.Put, ApiPaths.WithQuery(ApiPaths.Group(id), ("dryRun", "true")), group, cancellationToken);
        return AsObject(body);
    }

    /// <summary>Every app below the group to ceil(instances × <paramref name="factor"/>).</summary>
    public Task<DeploymentResult> ScaleGroupAsync(string id, double factor, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(factor);
        return UpdateGroupAsync(id, new JsonObject { ["scaleBy"] = factor }, force, cancellationToken);
    }

    /// <summary>Puts the group back as it was at <paramref name="version"/> (one of <see cref="ListGroupVersionsAsync"/>).</summary>
    public Task<DeploymentResult> RollbackGroupAsync(string id, string version, bool force = false, CancellationToken cancellationToken = default) =>
        UpdateGroupAsync(id, new JsonObject { ["version"] = version }, force, cancellationToken);

    public Task<DeploymentResult> DeleteGroupAsync(string id, bool force = false, CancellationToken cancellationToken = default) =>
        DeployAsync(HttpMethod.Delete, ApiPaths.WithQuery(ApiPaths.Group(id), ("force", ApiPaths.Flag(force))), null, cancellationToken);

    /// <summary>The group's versions, newest first (a bare JSON array).</summary>
    public async Task<ApiList<string>> ListGroupVersionsAsync(string id, CancellationToken cancellationToken = default)
    {
        var (body, _) = await SendJsonAsync(HttpMethod.Get, ApiPaths.Group(id) + "/versions", null, cancellationToken);
        var array = body as JsonArray ?? throw Unexpected(body, "a JSON array");
        return new ApiList<string>([.. array.Select(v => v?.GetValue<string>()).OfType<string>()], body);
    }
}
