using System.Diagnostics;
using System.Globalization;

namespace Harrier.Bench.Lb;

/// <summary>
/// Parts 1 and 2 of <c>lb</c>: N times, scale the app from 2 to 3 (healthy event → first answer through the balancer
/// from the new task), then kill its oldest task with <c>scale=true</c> (request → that task's last answer through the
/// balancer, and request → its TASK_KILLED event: the hold the server kept for the balancer's drain).
/// </summary>
internal static class LbChangeLatency
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(DevServer server, LbApp app, ClusterEventLog events, int changes)
    {
        await using var probers = new TaskProbers(app.ServicePort);
        var initial = await app.RunningAsync();
        foreach (var (task, _) in initial)
        {
            await Until.ValueAsync(() => probers.Seen(task), Step, $"{task} answering through the balancer");
        }
        var load = Stats.LoadAverage();
        var failedBefore = probers.Failed;
        var healthyToServed = new List<double>();
        var requestToLastAnswer = new List<double>();
        var requestToKilled = new List<double>();
        for (var i = 0; i < changes; i++)
        {
            var known = (await app.RunningAsync()).Select(t => LbApp.InstanceOf(t.Id)).Concat(events.Healthy.Keys).ToHashSet();
            await app.ScaleAsync(3);
            var (instance, healthyAt) = await Until.ValueAsync(
                () => events.Healthy.Where(h => !known.Contains(h.Key)).Select(h => ((string, long)?)(h.Key, h.Value)).FirstOrDefault(),
                Step, $"change {i}: the new task's health_status_changed_event");
            var (_, first) = await Until.ValueAsync(() => probers.FirstWhere(t => LbApp.InstanceOf(t) == instance), Step,
                $"change {i}: {instance} answering through the balancer");
            healthyToServed.Add(Until.Ms(healthyAt, first));
            await app.WaitSettledAsync(3, Step);

            var victim = (await app.RunningAsync())[0].Id;
            var requested = Stopwatch.GetTimestamp();
            await app.KillAndScaleAsync(victim);
            var killed = await Until.ValueAsync(() => events.StatusAt(victim, "TASK_KILLED"), Step, $"change {i}: {victim} TASK_KILLED");
            await app.WaitSettledAsync(2, Step);
            requestToKilled.Add(Until.Ms(requested, killed));
            requestToLastAnswer.Add(probers.Seen(victim) is { } seen ? Until.Ms(requested, seen.Last) : double.NaN);
        }
        Console.WriteLine($"1. healthy event -> first answer through the balancer ({changes} scale-ups, {load} at start, {Stats.LoadAverage()} at end):");
        Console.WriteLine($"   {Stats.Summary(healthyToServed)}; target p99 <= 200 ms");
        Console.WriteLine($"2. kill request (DELETE ?scale=true) -> last answer by that task through the balancer: {Stats.Summary(requestToLastAnswer)}");
        Console.WriteLine($"   kill request -> TASK_KILLED event: {Stats.Summary(requestToKilled)}");
        Console.WriteLine($"   probes: {probers.Ok} answered, {probers.Failed - failedBefore} failed during the changes");
        await PrintHoldAsync(server);
    }

    /// <summary>The server's <c>harrier_balancer_kill_hold_seconds</c> histogram: count, mean, bucket bounds of p50/p99.</summary>
    public static async Task PrintHoldAsync(DevServer server)
    {
        const string name = "harrier_balancer_kill_hold_seconds";
        var text = await server.Http.GetStringAsync("/metrics");
        var buckets = PrometheusText.Buckets(text, name);
        var count = PrometheusText.Value(text, name + "_count");
        var sum = PrometheusText.Value(text, name + "_sum");
        if (double.IsNaN(count))
        {
            var lines = text.Split('\n').Where(l => l.Contains(name, StringComparison.Ordinal)).Take(3);
            Console.WriteLine($"   server {name}: not found as {name}_count ({string.Join(" | ", lines)})");
            return;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   server {name}: {count} kills held, mean {sum / count * 1000:0.0} ms, p50 <= {PrometheusText.BucketQuantile(buckets, 0.5) * 1000:0} ms, p99 <= {PrometheusText.BucketQuantile(buckets, 0.99) * 1000:0} ms (bucket bounds)"));
    }
}
