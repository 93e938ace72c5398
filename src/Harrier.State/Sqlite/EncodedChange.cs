using System.Collections.Immutable;
using Harrier.Core.Instances;
using Harrier.State.Codec;

namespace Harrier.State.Sqlite;

/// <summary>
/// A <see cref="StateChange"/> encoded to rows before the store's lock is taken, so encoding never holds up other
/// writers. Row order is the order of application: all puts, then all deletes.
/// </summary>
internal sealed class EncodedChange
{
    /// <summary>Instances in one change from which encoding is spread over the cores.</summary>
    private const int ParallelThreshold = 256;

    private EncodedChange(List<EncodedRow> rows, List<(string AppId, long Version, byte[] Record)> versions, List<(long Version, byte[] Record)> groupVersions)
    {
        Rows = rows;
        Versions = versions;
        GroupVersions = groupVersions;
    }

    public List<EncodedRow> Rows { get; }

    /// <summary>The app versions to store; each app's excess versions are pruned after they are written.</summary>
    public List<(string AppId, long Version, byte[] Record)> Versions { get; }

    /// <summary>The root group versions to store; the excess is pruned after they are written.</summary>
    public List<(long Version, byte[] Record)> GroupVersions { get; }

    public static EncodedChange From(StateChange change)
    {
        var rows = new List<EncodedRow>(Count(change));
        var versions = new List<(string, long, byte[])>(change.PutApps.Length);
        foreach (var app in change.PutApps)
        {
            var record = StoredRecordCodec.Encode(app, StoredRecordCodec.App);
            rows.Add(new(SqliteSchema.Apps, app.Id.Value, record));
            versions.Add((app.Id.Value, app.Version.UnixMilliseconds, record));
        }
        foreach (var group in change.PutGroups)
        {
            rows.Add(new(SqliteSchema.Groups, group.Id.Value, StoredRecordCodec.Encode(group, StoredRecordCodec.Group)));
        }
        rows.AddRange(EncodeInstances(change.PutInstances));
        foreach (var plan in change.PutDeployments)
        {
            rows.Add(new(SqliteSchema.Deployments, plan.Id.Value, StoredRecordCodec.Encode(plan, StoredRecordCodec.Deployment)));
        }
        foreach (var agent in change.PutAgents)
        {
            rows.Add(new(SqliteSchema.Agents, agent.Id.Value, StoredRecordCodec.Encode(agent, StoredRecordCodec.Agent)));
        }
        rows.AddRange(change.DeleteApps.Select(id => new EncodedRow(SqliteSchema.Apps, id.Value, null)));
        rows.AddRange(change.DeleteGroups.Select(id => new EncodedRow(SqliteSchema.Groups, id.Value, null)));
        rows.AddRange(change.DeleteInstances.Select(id => new EncodedRow(SqliteSchema.Instances, id.Value, null)));
        rows.AddRange(change.DeleteDeployments.Select(id => new EncodedRow(SqliteSchema.Deployments, id.Value, null)));
        rows.AddRange(change.DeleteAgents.Select(id => new EncodedRow(SqliteSchema.Agents, id.Value, null)));
        var groupVersions = change.PutGroupVersions
            .Select(g => (g.Version.UnixMilliseconds, StoredRecordCodec.Encode(g, StoredRecordCodec.GroupVersion))).ToList();
        return new EncodedChange(rows, versions, groupVersions);
    }

    /// <summary>Instances are most of a large change (a scale-up, a flood of status updates): encoded on every core.</summary>
    private static EncodedRow[] EncodeInstances(ImmutableArray<Instance> instances)
    {
        var rows = new EncodedRow[instances.Length];
        if (instances.Length < ParallelThreshold)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = Encode(instances[i]);
            }
            return rows;
        }
        Parallel.For(0, rows.Length, i => rows[i] = Encode(instances[i]));
        return rows;
    }

    private static EncodedRow Encode(Instance instance) =>
        new(SqliteSchema.Instances, instance.Id.Value, InstanceRecordWriter.Encode(instance));


    private static int Count(StateChange c) =>
        c.PutApps.Length + c.PutGroups.Length + c.PutInstances.Length + c.PutDeployments.Length + c.PutAgents.Length
        + c.DeleteApps.Length + c.DeleteGroups.Length + c.DeleteInstances.Length + c.DeleteDeployments.Length + c.DeleteAgents.Length;
}
