using Harrier.Protocol;
using Harrier.Server.Agents;
using Harrier.Server.Events;
using Harrier.Server.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Harrier.Server;

public static class ServerServiceCollectionExtensions
{
    /// <summary>The control plane: the orchestrator (one writer), agent connections and the agent gateway.
    /// Expects an <c>IClusterStore</c> and a <see cref="TimeProvider"/> to be registered.</summary>
    public static IServiceCollection AddHarrierServer(this IServiceCollection services, Action<ServerOptions> configure)
    {
        var options = new ServerOptions();
        configure(options);
        services.AddSingleton(options);
        services.AddSingleton<AgentConnections>();
        services.AddSingleton<EventBus>();
        services.AddSingleton<Discovery.DiscoveryCatalog>();
        services.AddSingleton<Discovery.ISnapshotObserver>(sp => sp.GetRequiredService<Discovery.DiscoveryCatalog>());
        services.AddSingleton<Harrier.Dns.Zones.IZoneSource>(sp => sp.GetRequiredService<Discovery.DiscoveryCatalog>());
        services.AddHostedService(sp => sp.GetRequiredService<Discovery.DiscoveryCatalog>());
        services.AddSingleton<Balancers.BalancerRegistry>();
        services.AddSingleton<Orchestrator>();
        services.AddHostedService(sp => sp.GetRequiredService<Orchestrator>());
        services.AddSingleton<LogRelay>();
        services.AddSingleton<AgentQueryRelay>();
        services.AddSingleton<AgentGateway>();
        services.AddSingleton<IAgentGateway>(sp => sp.GetRequiredService<AgentGateway>());
        return services;
    }
}
