using Harrier.Core.Ids;

namespace Harrier.Server.Cluster;

internal sealed class InstanceIdComparer : IComparer<InstanceId>
{
    public static InstanceIdComparer Instance { get; } = new();

    public int Compare(InstanceId x, InstanceId y) => string.CompareOrdinal(x.Value, y.Value);
}
