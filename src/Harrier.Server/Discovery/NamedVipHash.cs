namespace Harrier.Server.Discovery;

/// <summary>The first candidate offset of a named VIP (placeholder until Harrier.Dns's phash2 lands).</summary>
internal static class NamedVipHash
{
    public static long Candidate(string key, long range)
    {
        var h = 2166136261u;
        foreach (var c in key)
        {
            h = (h ^ c) * 16777619u;
        }
        return h % range;
    }
}
