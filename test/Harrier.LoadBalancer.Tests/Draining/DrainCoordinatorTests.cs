using Harrier.LoadBalancer.Draining;
using Harrier.LoadBalancer.Tests.Watch;
using Harrier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Draining;

public sealed class DrainCoordinatorTests
{
    [Fact]
    public async Task RunAsync_AgainstAMarathon_NoRegistryDrainingOffAndNothingBreaks()
    {
        // A Marathon has no /harrier/v1/balancers: registration answers 404 and the balancer goes on without it.
        await using var marathon = await FakeMarathon.StartAsync();
        using var http = new HttpClient();
        var registry = new BalancerRegistry(http, () => marathon.Url, "lb-1");
        var drained = 0;
        var coordinator = new DrainCoordinator(registry, ["external"], null, (_, _) =>
        {
            drained++;
            return Task.CompletedTask;
        }, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = coordinator.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => Task.FromResult(coordinator.State == "unsupported"), TimeSpan.FromSeconds(10), "the registry found missing");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        drained.ShouldBe(0);
    }
}
