using Harrier.Api.Errors;
using Harrier.Core.Time;
using Harrier.Server.Commands;

namespace Harrier.Api.Groups;

/// <summary>
/// A read group body: a structural <see cref="Update"/>, or a <see cref="ScaleBy"/> or a rollback to
/// <see cref="Version"/> of the group <c>Update.Id</c>; or the <see cref="Error"/> to answer.
/// </summary>
internal sealed record GroupBodyRead(GroupUpdate Update, double? ScaleBy, Timestamp? Version, ApiError? Error)
{
    public static GroupBodyRead Failed(ApiError error) => new(new GroupUpdate(Core.Ids.PathId.Root), null, null, error);

    /// <summary>Every group and app id the body creates or changes (what a principal needs <c>write</c> on).</summary>
    public IEnumerable<Core.Ids.PathId> Ids()
    {
        var pending = new Stack<GroupUpdate>([Update]);
        while (pending.Count > 0)
        {
            var group = pending.Pop();
            yield return group.Id;
            foreach (var app in group.Apps ?? [])
            {
                yield return app.Id;
            }
            foreach (var child in group.Groups ?? [])
            {
                pending.Push(child);
            }
        }
    }
}
