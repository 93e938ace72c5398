using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Harrier.State;

public static class StateServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IClusterStore"/> as the embedded SQLite provider (a singleton). The database is opened
    /// synchronously the first time the store is resolved, with the configured <see cref="StateOptions"/>; the
    /// container disposes it.
    /// </summary>
    public static IServiceCollection AddHarrierState(this IServiceCollection services, Action<StateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<StateOptions>().Configure(configure);
        services.TryAddSingleton<IClusterStore>(sp => SqliteClusterStore.Open(sp.GetRequiredService<IOptions<StateOptions>>().Value));
        return services;
    }
}
