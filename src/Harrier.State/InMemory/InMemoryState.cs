using System.Collections.Immutable;
using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;

namespace Harrier.State.InMemory;

/// <summary>One immutable version of the in-memory store's contents; a commit builds the next one and swaps it in.</summary>
internal sealed record InMemoryState(
    ImmutableSortedDictionary<PathId, AppSpec> Apps,
    ImmutableDictionary<PathId, ImmutableSortedDictionary<Timestamp, AppSpec>> Versions,
    ImmutableSortedDictionary<PathId, GroupNode> Groups,
    ImmutableSortedDictionary<string, Instance> Instances,
    ImmutableSortedDictionary<string, DeploymentPlan> Deployments,
    ImmutableSortedDictionary<string, AgentInfo> Agents,
    ImmutableSortedDictionary<Timestamp, RootGroupVersion> GroupVersions)
{
    public static InMemoryState Empty { get; } = new(
        ImmutableSortedDictionary<PathId, AppSpec>.Empty,
        ImmutableDictionary<PathId, ImmutableSortedDictionary<Timestamp, AppSpec>>.Empty,
        ImmutableSortedDictionary<PathId, GroupNode>.Empty,
        ImmutableSortedDictionary<string, Instance>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, DeploymentPlan>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, AgentInfo>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<Timestamp, RootGroupVersion>.Empty);

    public ClusterData ToClusterData() => new(
        [.. Apps.Values], [.. Groups.Values], [.. Instances.Values], [.. Deployments.Values], [.. Agents.Values]);

    /// <summary>
    /// Applies <paramref name="change"/> in the order the SQLite provider does: puts, then deletes, then version
    /// pruning, then the root group versions and their pruning. <paramref name="afterRowWritten"/> is the failure-injection hook; a throw leaves this state untouched.
    /// </summary>
    public InMemoryState Apply(StateChange change, int maxVersions, Action<string>? afterRowWritten)
    {
        var apps = Apps.ToBuilder();
        var versions = Versions.ToBuilder();
        var groups = Groups.ToBuilder();
        var instances = Instances.ToBuilder();
        var deployments = Deployments.ToBuilder();
        var agents = Agents.ToBuilder();
        foreach (var app in change.PutApps)
        {
            apps[app.Id] = app;
            afterRowWritten?.Invoke($"apps:{app.Id.Value}");
        }
        Put(groups, change.PutGroups, g => g.Id, "groups", afterRowWritten);
        Put(instances, change.PutInstances, i => i.Id.Value, "instances", afterRowWritten);
        Put(deployments, change.PutDeployments, d => d.Id.Value, "deployments", afterRowWritten);
        Put(agents, change.PutAgents, a => a.Id.Value, "agents", afterRowWritten);
        Delete(apps, change.DeleteApps, id => id, "apps", afterRowWritten);
        Delete(groups, change.DeleteGroups, id => id, "groups", afterRowWritten);
        Delete(instances, change.DeleteInstances, id => id.Value, "instances", afterRowWritten);
        Delete(deployments, change.DeleteDeployments, id => id.Value, "deployments", afterRowWritten);
        Delete(agents, change.DeleteAgents, id => id.Value, "agents", afterRowWritten);
        foreach (var app in change.PutApps)
        {
            var stored = versions.TryGetValue(app.Id, out var existing) ? existing : ImmutableSortedDictionary<Timestamp, AppSpec>.Empty;
            versions[app.Id] = stored.SetItem(app.Version, app);
            afterRowWritten?.Invoke($"app_versions:{app.Id.Value}@{app.Version.UnixMilliseconds}");
        }
        foreach (var appId in change.PutApps.Select(a => a.Id).Distinct())
        {
            var stored = versions[appId];
            if (stored.Count > maxVersions)
            {
                versions[appId] = stored.RemoveRange(stored.Keys.Take(stored.Count - maxVersions));
            }
        }
        var groupVersions = GroupVersions.ToBuilder();
        foreach (var root in change.PutGroupVersions)
        {
            groupVersions[root.Version] = root;
            afterRowWritten?.Invoke($"group_versions:{root.Version.UnixMilliseconds}");
        }
        while (groupVersions.Count > maxVersions)
        {
            groupVersions.Remove(groupVersions.Keys.First());
        }
        return new InMemoryState(
            apps.ToImmutable(), versions.ToImmutable(), groups.ToImmutable(), instances.ToImmutable(),
            deployments.ToImmutable(), agents.ToImmutable(), groupVersions.ToImmutable());
    }

    private static void Put<TKey, TValue>(
        ImmutableSortedDictionary<TKey, TValue>.Builder target, ImmutableArray<TValue> values, Func<TValue, TKey> key,
        string table, Action<string>? afterRowWritten)
        where TKey : notnull
    {
        foreach (var value in values)
        {
            var k = key(value);
            target[k] = value;
            afterRowWritten?.Invoke($"{table}:{k}");
        }
    }

    private static void Delete<TKey, TValue, TId>(
        ImmutableSortedDictionary<TKey, TValue>.Builder target, ImmutableArray<TId> ids, Func<TId, TKey> key,
        string table, Action<string>? afterRowWritten)
        where TKey : notnull
    {
        foreach (var id in ids)
        {
            var k = key(id);
            target.Remove(k);
            afterRowWritten?.Invoke($"{table}:{k}");
        }
    }
}
