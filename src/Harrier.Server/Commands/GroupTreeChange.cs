using Harrier.Core.Groups;
using Harrier.Core.Ids;

namespace Harrier.Server.Commands;

/// <summary>Group nodes a deployment puts and removes along with its app changes (the removals after the puts).</summary>
public sealed record GroupTreeChange(IReadOnlyList<GroupNode> Put, IReadOnlyList<PathId> Remove)
{
    public static GroupTreeChange None { get; } = new([], []);
}
