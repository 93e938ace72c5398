using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.Server.Events;
using Xunit;

namespace Harrier.Server.Tests;

public sealed class EventBusTests
{
    private static ClusterEvent Event(int n) => new AppTerminatedEvent(new Timestamp(n), PathId.Parse($"/a{n}"));

    [Fact]
    public async Task Publish_SubscriberThatNeverReads_IsDisconnectedAtTheLimit_PublisherNeverBlocks()
    {
        var bus = new EventBus();
        using var slow = bus.Subscribe();
        using var fast = bus.Subscribe();
        var received = 0;
        for (var i = 0; i < EventBus.MaxOutstanding + 10; i++)
        {
            bus.Publish(Event(i));
            while (fast.Reader.TryRead(out _))
            {
                received++;
            }
        }
        Assert.Equal(EventBus.MaxOutstanding + 10, received);
        await Assert.ThrowsAsync<EventStreamOverflowException>(async () =>
        {
            await foreach (var _ in slow.Reader.ReadAllAsync())
            {
            }
        });
        Assert.Equal(1, bus.SubscriberCount);
    }

    [Fact]
    public void Publish_SubscriberFallsBehind_CancelsItsOverflowedToken()
    {
        var bus = new EventBus();
        using var slow = bus.Subscribe();
        var cancelled = false;
        using var registration = slow.Overflowed.Register(() => cancelled = true);

        for (var i = 0; i < EventBus.MaxOutstanding; i++)
        {
            bus.Publish(Event(i));
        }
        Assert.False(cancelled);
        bus.Publish(Event(EventBus.MaxOutstanding));

        Assert.True(cancelled);
        Assert.True(slow.Overflowed.IsCancellationRequested);
    }

    [Fact]
    public void Subscribe_WithLastEventId_ReplaysWhatFollows_AndFlagsAGapBeyondTheWindow()
    {
        var bus = new EventBus();
        bus.Publish(Enumerable.Range(0, 10).Select(Event));
        using var resumed = bus.Subscribe(lastEventId: 7);
        Assert.False(resumed.Gap);
        Assert.True(resumed.Reader.TryRead(out var first));
        Assert.Equal(8, first.Sequence);
        Assert.True(resumed.Reader.TryRead(out var second));
        Assert.Equal(9, second.Sequence);

        bus.Publish(Enumerable.Range(10, EventBus.Retained + 5).Select(Event));
        using var late = bus.Subscribe(lastEventId: 3);
        Assert.True(late.Gap);
    }
}
