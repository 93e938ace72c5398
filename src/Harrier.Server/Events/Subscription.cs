using System.Threading.Channels;

namespace Harrier.Server.Events;

/// <summary>One subscriber's buffer. Dispose to unsubscribe.</summary>
public sealed class Subscription : IDisposable
{
    private readonly EventBus _bus;

    internal Subscription(EventBus bus, Channel<SequencedEvent> channel, bool gap)
    {
        _bus = bus;
        Channel = channel;
        Gap = gap;
    }

    internal Channel<SequencedEvent> Channel { get; }

    /// <summary>True when a resumption asked for events older than the retained window (some were missed).</summary>
    public bool Gap { get; }

    public ChannelReader<SequencedEvent> Reader => Channel.Reader;

    public void Dispose() => _bus.Unsubscribe(this);
}
