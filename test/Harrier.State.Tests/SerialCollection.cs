using Xunit;

namespace Harrier.State.Tests;

/// <summary>Tests that measure time run alone, not next to the rest of the suite.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
