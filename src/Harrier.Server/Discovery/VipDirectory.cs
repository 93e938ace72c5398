using System.Collections.Immutable;

namespace Harrier.Server.Discovery;

/// <summary>Every VIP of the cluster by key, immutable; <see cref="Version"/> grows with each change.</summary>
public sealed record VipDirectory(long Version, ImmutableSortedDictionary<string, Vip> Vips)
{
    public static VipDirectory Empty { get; } = new(0, ImmutableSortedDictionary.Create<string, Vip>(StringComparer.Ordinal));
}
