using System.Collections.Concurrent;
using System.Threading.Channels;
using Harrier.Core.Ids;
using Harrier.Protocol;

namespace Harrier.Server.Agents;

/// <summary>
/// The command stream of each connected agent. A re-registration replaces the agent's stream (the old one ends).
/// Commands for an agent with no stream are dropped: kills are re-sent by the control loop, lost launches time out,
/// and an agent's re-registration reconciles both. A stream has at most one reader: a second one is refused while the
/// first is connected, so nobody else reads an agent's launches (and their secrets) beside it.
/// </summary>
public sealed class AgentConnections
{
    private readonly ConcurrentDictionary<AgentId, Stream> _streams = new();

    /// <summary>Opens a fresh stream for the agent, closing any previous one.</summary>
    public ChannelReader<AgentCommand> Open(AgentId agent)
    {
        var stream = new Stream();
        if (_streams.TryGetValue(agent, out var old))
        {
            old.Channel.Writer.TryComplete();
        }
        _streams[agent] = stream;
        return stream.Channel.Reader;
    }

    /// <summary>
    /// Becomes the reader of the agent's current stream (opened if it has none: an agent that calls for commands before
    /// registering). Null when the stream already has a reader.
    /// </summary>
    public ChannelReader<AgentCommand>? TryAttach(AgentId agent)
    {
        var stream = _streams.GetOrAdd(agent, _ => new Stream());
        return Interlocked.Exchange(ref stream.Reading, 1) == 0 ? stream.Channel.Reader : null;
    }

    public void Close(AgentId agent, ChannelReader<AgentCommand> reader)
    {
        if (_streams.TryGetValue(agent, out var current) && current.Channel.Reader == reader)
        {
            _streams.TryRemove(new KeyValuePair<AgentId, Stream>(agent, current));
        }
    }

    public bool Send(AgentId agent, AgentCommand command) =>
        _streams.TryGetValue(agent, out var stream) && stream.Channel.Writer.TryWrite(command);

    public bool IsConnected(AgentId agent) => _streams.ContainsKey(agent);

    private sealed class Stream
    {
        public readonly Channel<AgentCommand> Channel = System.Threading.Channels.Channel.CreateUnbounded<AgentCommand>(new UnboundedChannelOptions { SingleReader = true });

        /// <summary>1 once a reader has attached.</summary>
        public int Reading;
    }
}
