using Harrier.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harrier.Agent;

public static class AgentServiceCollectionExtensions
{
    /// <summary>
    /// Registers the node agent (singleton, hosted service and <see cref="ITaskLogReader"/>). The host registers
    /// <see cref="IAgentGateway"/> (in-process or HTTP) and <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddHarrierAgent(this IServiceCollection services, Action<AgentOptions> configure)
    {
        var options = new AgentOptions();
        configure(options);
        services.AddSingleton(options);
        services.AddSingleton(sp => new HarrierAgent(
            sp.GetRequiredService<AgentOptions>(),
            sp.GetRequiredService<IAgentGateway>(),
            sp.GetRequiredService<ILogger<HarrierAgent>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService(sp => sp.GetRequiredService<HarrierAgent>());
        services.AddSingleton<ITaskLogReader>(sp => sp.GetRequiredService<HarrierAgent>());
        return services;
    }
}
