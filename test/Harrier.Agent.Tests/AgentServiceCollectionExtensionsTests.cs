using Harrier.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests;

public sealed class AgentServiceCollectionExtensionsTests : IAsyncDisposable
{
    private readonly AgentTestHarness _h = new();

    [Fact]
    public void AddHarrierAgent_Registers_OneAgentAsHostedServiceAndLogReader()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IAgentGateway>(_h.Gateway);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddHarrierAgent(o =>
        {
            o.WorkDir = _h.WorkDir;
            o.Driver = "fake";
        });

        using var provider = services.BuildServiceProvider();

        var agent = provider.GetRequiredService<HarrierAgent>();
        provider.GetRequiredService<ITaskLogReader>().ShouldBeSameAs(agent);
        provider.GetServices<IHostedService>().ShouldContain(agent);
        agent.AgentId.Value.ShouldNotBeNullOrEmpty();
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();
}
