using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.State;

namespace Harrier.Api.Groups;

/// <summary>
/// Reads a group's history from the stored root group versions (<see cref="IClusterStore.ListGroupVersionsAsync"/>):
/// which versions held the group, and the group as one of them had it, its apps resolved from the stored app versions.
/// </summary>
internal static class StoredGroupVersions
{
    /// <summary>Newest first: the stored root versions in which <paramref name="id"/> existed (every one for the root).</summary>
    public static async Task<List<Timestamp>> ListAsync(IClusterStore store, PathId id, CancellationToken ct)
    {
        var all = await store.ListGroupVersionsAsync(ct);
        if (id.IsRoot)
        {
            return [.. all];
        }
        var holding = new List<Timestamp>();
        foreach (var version in all)
        {
            if (await store.GetGroupVersionAsync(version, ct) is { } root && root.Groups.Any(g => g.Id == id))
            {
                holding.Add(version);
            }
        }
        return holding;
    }

    /// <summary>
    /// The group <paramref name="id"/> as root version <paramref name="version"/> had it, with the apps below it that
    /// <paramref name="include"/> admits; null when that version is not stored or the group did not exist in it.
    /// </summary>
    public static async Task<StoredGroup?> LoadAsync(IClusterStore store, PathId id, Timestamp version, Func<PathId, bool> include, CancellationToken ct)
    {
        var root = await store.GetGroupVersionAsync(version, ct);
        if (root is null || (!id.IsRoot && !root.Groups.Any(g => g.Id == id)))
        {
            return null;
        }
        var apps = new List<AppSpec>();
        var missing = new List<PathId>();
        foreach (var reference in root.Apps.Where(a => id.IsAncestorOf(a.Id) && include(a.Id)))
        {
            if (await store.GetAppVersionAsync(reference.Id, reference.Version, ct) is { } app)
            {
                apps.Add(app);
            }
            else
            {
                missing.Add(reference.Id);
            }
        }
        return new StoredGroup(id, root, apps, missing);
    }
}
