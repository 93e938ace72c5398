using Harrier.LoadBalancer.Watch;
using Harrier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Watch;

public sealed class AppsWatcherTests
{
    [Fact]
    public async Task Run_EventArrives_ReadsAppsAgainWithMarathonLbsSubscription()
    {
        await using var marathon = await FakeMarathon.StartAsync();
        using var http = new HttpClient();
        var bodies = new List<string>();
        var watcher = new AppsWatcher(new MarathonClient(http, [marathon.Url]), (b, _) => { lock (bodies) { bodies.Add(b); } return Task.CompletedTask; },
            TimeProvider.System, NullLogger.Instance, TimeSpan.FromSeconds(1));
        using var stop = new CancellationTokenSource();
        var run = watcher.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => Task.FromResult(marathon.StreamsOpened == 1 && watcher.Reads >= 1), TimeSpan.FromSeconds(10), "stream and first read");
        await Task.Delay(200);
        var before = watcher.Reads;
        marathon.AppsBody = """{"apps":[{"id":"/new"}]}""";
        marathon.Push("status_update_event");
        await Eventually.TrueAsync(() => Task.FromResult(watcher.Reads > before), TimeSpan.FromSeconds(5), "a read after the event");
        lock (bodies)
        {
            bodies[^1].ShouldContain("/new");
        }
        marathon.LastEventsQuery.ShouldBe("?plan-format=light&event_type=api_post_event&event_type=health_status_changed_event&event_type=status_update_event");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Run_BurstOfEvents_CoalescedIntoFewReads()
    {
        await using var marathon = await FakeMarathon.StartAsync();
        using var http = new HttpClient();
        var watcher = new AppsWatcher(new MarathonClient(http, [marathon.Url]), async (_, ct) => await Task.Delay(50, ct),
            TimeProvider.System, NullLogger.Instance, TimeSpan.FromSeconds(1));
        using var stop = new CancellationTokenSource();
        var run = watcher.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => Task.FromResult(marathon.StreamsOpened == 1 && watcher.Reads >= 1), TimeSpan.FromSeconds(10), "stream and first read");
        await Task.Delay(300);
        var before = marathon.AppsReads;
        for (var i = 0; i < 200; i++)
        {
            marathon.Push("status_update_event");
        }
        await Task.Delay(1000);
        var reads = marathon.AppsReads - before;
        reads.ShouldBeGreaterThanOrEqualTo(1);
        reads.ShouldBeLessThan(50);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Run_ServerFailsThenRecovers_NoCallbackWhileFailingThenCatchesUp()
    {
        await using var marathon = await FakeMarathon.StartAsync();
        using var http = new HttpClient();
        var bodies = new List<string>();
        var watcher = new AppsWatcher(new MarathonClient(http, [marathon.Url]), (b, _) => { lock (bodies) { bodies.Add(b); } return Task.CompletedTask; },
            TimeProvider.System, NullLogger.Instance, TimeSpan.FromSeconds(1));
        using var stop = new CancellationTokenSource();
        var run = watcher.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => Task.FromResult(watcher.Reads >= 1), TimeSpan.FromSeconds(10), "first read");
        marathon.AppsStatus = 503;
        var count = bodies.Count;
        marathon.Push("status_update_event");
        await Eventually.TrueAsync(() => Task.FromResult(watcher.LastError is not null), TimeSpan.FromSeconds(5), "a failed read");
        lock (bodies)
        {
            bodies.Count.ShouldBe(count);
        }
        marathon.AppsBody = """{"apps":[{"id":"/back"}]}""";
        marathon.AppsStatus = 200;
        await Eventually.TrueAsync(() => Task.FromResult(watcher.LastError is null && bodies.Any(b => b.Contains("/back"))), TimeSpan.FromSeconds(10), "recovered without a new event");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Run_StreamEnds_ReconnectsAndReadsAgain()
    {
        await using var marathon = await FakeMarathon.StartAsync();
        using var http = new HttpClient();
        var watcher = new AppsWatcher(new MarathonClient(http, [marathon.Url]), (_, _) => Task.CompletedTask,
            TimeProvider.System, NullLogger.Instance, TimeSpan.FromSeconds(1));
        using var stop = new CancellationTokenSource();
        var run = watcher.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => Task.FromResult(marathon.StreamsOpened == 1), TimeSpan.FromSeconds(10), "stream");
        marathon.CloseStream();
        // The first backoff is a random share of 3 s.
        await Eventually.TrueAsync(() => Task.FromResult(marathon.StreamsOpened == 2), TimeSpan.FromSeconds(10), "reconnected");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Run_CallbackThrows_KeepsFollowingTheServer()
    {
        await using var marathon = await FakeMarathon.StartAsync();
        using var http = new HttpClient();
        var calls = 0;
        var watcher = new AppsWatcher(new MarathonClient(http, [marathon.Url]), (_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidDataException("a body nothing expected");
        }, TimeProvider.System, NullLogger.Instance, TimeSpan.FromSeconds(1));
        using var stop = new CancellationTokenSource();
        var run = watcher.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => Task.FromResult(marathon.StreamsOpened == 1 && Volatile.Read(ref calls) >= 1), TimeSpan.FromSeconds(10), "a first call");
        await Task.Delay(200);
        var before = Volatile.Read(ref calls);
        marathon.Push("status_update_event");
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref calls) > before), TimeSpan.FromSeconds(5), "a call after the next event");
        run.IsCompleted.ShouldBeFalse();
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public void EventType_HostileData_EmptyNeverThrows()
    {
        MarathonClient.EventType("{\"eventType\":\"status_update_event\"}").ShouldBe("status_update_event");
        MarathonClient.EventType("not json").ShouldBe("");
        MarathonClient.EventType("[1,2]").ShouldBe("");
        MarathonClient.EventType("{\"eventType\":5}").ShouldBe("");
    }
}
