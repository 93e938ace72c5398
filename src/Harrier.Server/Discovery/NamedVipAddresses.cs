using Harrier.Core.Networks;

namespace Harrier.Server.Discovery;

/// <summary>
/// Addresses of named VIPs from the VIP range, dcos-net's way: a name's first candidate comes from a hash of its
/// l4lb key (<c>label.framework</c>), the next free address after it on a collision, wrapping. Held while any app names
/// the VIP; the same names declared in the same order get the same addresses (after a restart too).
/// </summary>
internal sealed class NamedVipAddresses(Ipv4Cidr range, string framework)
{
    private readonly Dictionary<string, string> _byLabel = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    /// <summary>The label's address (the one it has, or a new one); null when the range is full.</summary>
    public string? Acquire(string label)
    {
        if (_byLabel.TryGetValue(label, out var held))
        {
            return held;
        }
        // The range's network and broadcast addresses are left out.
        var size = range.Size - 2;
        var first = NamedVipHash.Candidate(L4lbNames.Key(label, framework), size);
        for (long i = 0; i < size; i++)
        {
            var candidate = range.At(1 + (first + i) % size).ToString();
            if (_taken.Add(candidate))
            {
                _byLabel[label] = candidate;
                return candidate;
            }
        }
        return null;
    }

    public void Release(string label)
    {
        if (_byLabel.Remove(label, out var address))
        {
            _taken.Remove(address);
        }
    }
}
