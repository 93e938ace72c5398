using System.Collections.Concurrent;
using System.Threading.Channels;
using Harrier.Core.Ids;
using Harrier.Protocol;

namespace Harrier.Server.Agents;

/// <summary>
/// The command stream of each connected agent. A re-registration replaces the agent's stream (the old one ends).
/// Commands for an agent with no stream are dropped: kills are re-sent by the control loop, lost launches time out,
/// and an agent's re-registration reconciles both.
/// </summary>
public sealed class AgentConnections
{
    private readonly ConcurrentDictionary<AgentId, Channel<AgentCommand>> _streams = new();

    /// <summary>Opens a fresh stream for the agent, closing any previous one.</summary>
    public ChannelReader<AgentCommand> Open(AgentId agent)
    {
        var channel = Channel.CreateUnbounded<AgentCommand>(new UnboundedChannelOptions { SingleReader = true });
        if (_streams.TryGetValue(agent, out var old))
        {
            old.Writer.TryComplete();
        }
        _streams[agent] = channel;
        return channel.Reader;
    }

    /// <summary>The agent's current stream, opened if it has none (an agent that calls for commands before registering).</summary>
    public ChannelReader<AgentCommand> Attach(AgentId agent) =>
        _streams.GetOrAdd(agent, _ => Channel.CreateUnbounded<AgentCommand>(new UnboundedChannelOptions { SingleReader = true })).Reader;

    public void Close(AgentId agent, ChannelReader<AgentCommand> reader)
    {
        if (_streams.TryGetValue(agent, out var current) && current.Reader == reader)
        {
            _streams.TryRemove(new KeyValuePair<AgentId, Channel<AgentCommand>>(agent, current));
        }
    }

    public bool Send(AgentId agent, AgentCommand command) =>
        _streams.TryGetValue(agent, out var channel) && channel.Writer.TryWrite(command);

    public bool IsConnected(AgentId agent) => _streams.ContainsKey(agent);
}
