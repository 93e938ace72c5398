using Xunit;

namespace Harrier.Agent.Tests.Health;

/// <summary>
/// The health tests that start test-app processes run alone, after the parallel ones: their CPU load would
/// otherwise delay the acks that timing-sensitive agent tests wait for (and their own 1-second cadences).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HealthProcessCollection
{
    public const string Name = "health processes";
}
