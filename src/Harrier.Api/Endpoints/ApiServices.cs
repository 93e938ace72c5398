using Harrier.Api.Apps;
using Harrier.Protocol;
using Harrier.Server;
using Harrier.Server.Orchestration;
using Harrier.State;

namespace Harrier.Api.Endpoints;

/// <summary>What the endpoints use: the orchestrator (reads its snapshot, sends it commands), the store (version
/// history), options, and the log readers of agents.</summary>
internal sealed class ApiServices(Orchestrator orchestrator, IClusterStore store, ServerOptions options, IEnumerable<ITaskLogReader> logReaders)
{
    public Orchestrator Orchestrator { get; } = orchestrator;

    public IClusterStore Store { get; } = store;

    public ServerOptions Options { get; } = options;

    public IReadOnlyList<ITaskLogReader> LogReaders { get; } = [.. logReaders];

    public AppReadContext ReadContext => new(Options.DefaultRole);
}
