using System.Net;
using Harrier.Dns.Zones;

namespace Harrier.Dns.Records;

/// <summary>Orders for the sorted sets a <see cref="RecordBook"/> keeps per name (any total order works; this one
/// is stable across runs).</summary>
internal static class RecordOrder
{
    public static IComparer<IPAddress> Addresses { get; } = Comparer<IPAddress>.Create(static (x, y) =>
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a, out var na);
        y.TryWriteBytes(b, out var nb);
        var byLength = na.CompareTo(nb);
        return byLength != 0 ? byLength : a[..na].SequenceCompareTo(b[..nb]);
    });

    public static IComparer<SrvData> Srv { get; } = Comparer<SrvData>.Create(static (x, y) =>
    {
        var byTarget = string.CompareOrdinal(x.Target, y.Target);
        if (byTarget != 0)
        {
            return byTarget;
        }
        var byPort = x.Port.CompareTo(y.Port);
        return byPort != 0 ? byPort : (x.Priority, x.Weight).CompareTo((y.Priority, y.Weight));
    });
}
