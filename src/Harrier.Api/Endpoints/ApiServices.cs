using Harrier.Api.Apps;
using Harrier.Protocol;
using Harrier.Server;
using Harrier.Server.Events;
using Harrier.Server.Orchestration;
using Harrier.State;

namespace Harrier.Api.Endpoints;

/// <summary>What the endpoints use: the orchestrator (reads its snapshot, sends it commands), the store (version
/// history), options, and the log readers of agents.</summary>
internal sealed class ApiServices(Orchestrator orchestrator, IClusterStore store, ServerOptions options, IEnumerable<ITaskLogReader> logReaders, EventBus events, TimeProvider time, Harrier.Server.Agents.LogRelay logRelay, Harrier.Server.Agents.AgentQueryRelay agentQueries)
{
    /// <summary>Questions for agents (images, statistics).</summary>
    public Harrier.Server.Agents.AgentQueryRelay AgentQueries { get; } = agentQueries;

    /// <summary>Logs of tasks on agents outside this process.</summary>
    public Harrier.Server.Agents.LogRelay LogRelay { get; } = logRelay;

    public Orchestrator Orchestrator { get; } = orchestrator;

    public IClusterStore Store { get; } = store;

    public ServerOptions Options { get; } = options;

    public IReadOnlyList<ITaskLogReader> LogReaders { get; } = [.. logReaders];

    public AppReadContext ReadContext => new(Options.DefaultRole)
    {
        AllowedUsers = Options.AllowedUsers,
        MaxInstancesPerApp = Options.MaxInstancesPerApp,
        IsKnownNetwork = IsKnownNetwork,
    };

    /// <summary>An overlay, or a network some registered agent offers (connected or not: one that is away is waited for).</summary>
    private bool IsKnownNetwork(string name) =>
        Options.IsClusterNetwork(name) || Orchestrator.Snapshot.Agents.Values.Any(a => a.Info.Networks.Contains(name));

    public EventBus Events { get; } = events;

    public Harrier.Core.Time.Timestamp Now => Harrier.Core.Time.Timestamp.From(time.GetUtcNow());

    /// <summary>Publishes <c>api_post_event</c> for a single app created or changed through the API.</summary>
    public void PublishApiPost(Microsoft.AspNetCore.Http.HttpContext context, Harrier.Core.Apps.AppSpec app) =>
        Events.Publish(new ApiPostEvent(
            Now,
            context.Connection.RemoteIpAddress?.ToString() ?? "",
            context.Request.Path + context.Request.QueryString,
            app));
}
