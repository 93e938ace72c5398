using System.Threading.Channels;

namespace Harrier.Server.Events;

/// <summary>
/// Fans committed events out to subscribers. Each subscriber has a bounded buffer; one that falls
/// <see cref="MaxOutstanding"/> events behind is disconnected (its channel completes), as Marathon's
/// <c>--event_stream_max_outstanding_messages</c>: a slow consumer never stalls the server.
/// The last <see cref="Retained"/> events are kept with their sequence numbers so a client can resume with
/// <c>Last-Event-ID</c> (beyond Marathon).
/// </summary>
public sealed class EventBus
{
    public const int MaxOutstanding = 1024;
    public const int Retained = 4096;

    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscribers = [];
    private readonly Queue<SequencedEvent> _window = new();
    private long _sequence;

    public void Publish(IEnumerable<ClusterEvent> events)
    {
        List<Subscription>? dropped = null;
        lock (_gate)
        {
            foreach (var e in events)
            {
                var item = new SequencedEvent(++_sequence, e);
                _window.Enqueue(item);
                if (_window.Count > Retained)
                {
                    _window.Dequeue();
                }
                for (var i = _subscribers.Count - 1; i >= 0; i--)
                {
                    if (!_subscribers[i].Channel.Writer.TryWrite(item))
                    {
                        _subscribers[i].Channel.Writer.TryComplete(new EventStreamOverflowException());
                        (dropped ??= []).Add(_subscribers[i]);
                        _subscribers.RemoveAt(i);
                    }
                }
            }
        }
        foreach (var subscription in dropped ?? [])
        {
            subscription.SignalOverflow();
        }
    }

    public void Publish(ClusterEvent e) => Publish([e]);

    /// <summary>
    /// Subscribes. With <paramref name="lastEventId"/>, the retained events after it are delivered first; when it is
    /// older than the window, <see cref="Subscription.Gap"/> is true and delivery starts at the oldest retained event.
    /// </summary>
    public Subscription Subscribe(long? lastEventId = null)
    {
        var channel = Channel.CreateBounded<SequencedEvent>(new BoundedChannelOptions(MaxOutstanding) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        lock (_gate)
        {
            var gap = false;
            if (lastEventId is { } last)
            {
                gap = _window.Count > 0 ? _window.Peek().Sequence > last + 1 : last < _sequence;
                foreach (var item in _window.Where(i => i.Sequence > last).Take(MaxOutstanding))
                {
                    channel.Writer.TryWrite(item);
                }
            }
            var subscription = new Subscription(this, channel, gap);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    internal void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
        subscription.Channel.Writer.TryComplete();
    }

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }
}
