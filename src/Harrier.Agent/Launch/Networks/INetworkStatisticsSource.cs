using Harrier.Linux;

namespace Harrier.Agent.Launch.Networks;

/// <summary>A network mode that can measure its tasks' traffic (an optional capability of an <see cref="INetworkMode"/>):
/// Mesos' <c>net_*</c> figures for <c>/monitor/statistics</c>.</summary>
internal interface INetworkStatisticsSource
{
    /// <summary>The owner's network figures (only <see cref="ResourceStatistics.Network"/>,
    /// <see cref="ResourceStatistics.TrafficControl"/> and <see cref="ResourceStatistics.Sockets"/> are set), or null when
    /// this mode does not hold the owner.</summary>
    Task<ResourceStatistics?> ReadAsync(string owner, CancellationToken cancellationToken);
}
