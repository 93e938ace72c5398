using System.Threading.Channels;

namespace Harrier.Server.Events;

/// <summary>One subscriber's buffer. Dispose to unsubscribe.</summary>
public sealed class Subscription : IDisposable
{
    private readonly EventBus _bus;
    private readonly CancellationTokenSource _overflow = new();

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

    /// <summary>
    /// Cancelled when the bus dropped this subscriber for falling <see cref="EventBus.MaxOutstanding"/> events behind,
    /// so a consumer blocked writing to a stalled client can stop at once rather than when the client goes away.
    /// </summary>
    public CancellationToken Overflowed => _overflow.Token;

    /// <summary>Called by the bus outside its lock (cancellation runs the consumer's callbacks).</summary>
    internal void SignalOverflow()
    {
        try
        {
            _overflow.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already unsubscribed.
        }
    }

    public void Dispose()
    {
        _bus.Unsubscribe(this);
        _overflow.Dispose();
    }
}
