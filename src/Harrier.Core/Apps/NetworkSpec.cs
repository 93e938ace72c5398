using Harrier.Core.Collections;

namespace Harrier.Core.Apps;

public sealed record NetworkSpec(NetworkMode Mode, string? Name = null, ValueMap<string> Labels = default)
{
    public static NetworkSpec Host { get; } = new(NetworkMode.Host);
}
