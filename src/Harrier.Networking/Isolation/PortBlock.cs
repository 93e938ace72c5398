using System.Globalization;

namespace Harrier.Networking.Isolation;

/// <summary>
/// A run of ports that a single tc u32 match can select: <see cref="Size"/> is a power of two and <see cref="Begin"/> is
/// a multiple of it, so "dport BEGIN MASK" matches exactly these ports. Any range is a handful of such blocks.
/// </summary>
public readonly record struct PortBlock(int Begin, int Size)
{
    public int End => Begin + Size - 1;

    /// <summary>The u32 mask of the block (the bits every port of the block shares).</summary>
    public int Mask => 0xFFFF & ~(Size - 1);

    /// <summary>"BEGIN 0xMASK", as <c>tc ... u32 match ip dport</c> takes it.</summary>
    public string Match => Begin.ToString(CultureInfo.InvariantCulture) + " 0x" + Mask.ToString("x4", CultureInfo.InvariantCulture);

    /// <summary>The fewest aligned blocks that cover exactly <paramref name="begin"/>..<paramref name="end"/>.</summary>
    public static IReadOnlyList<PortBlock> Split(int begin, int end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(begin, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, 65535);
        var blocks = new List<PortBlock>();
        var at = begin;
        while (at <= end)
        {
            var size = at == 0 ? 65536 : at & -at;
            while (at + size - 1 > end)
            {
                size >>= 1;
            }
            blocks.Add(new PortBlock(at, size));
            at += size;
        }
        return blocks;
    }

    /// <summary>The blocks covering the given ports (each port once; neighbours merged first).</summary>
    public static IReadOnlyList<PortBlock> Cover(IEnumerable<int> ports)
    {
        var sorted = ports.Where(p => p is > 0 and <= 65535).Distinct().Order().ToList();
        var blocks = new List<PortBlock>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }
            blocks.AddRange(Split(sorted[i], sorted[j]));
            i = j + 1;
        }
        return blocks;
    }

    public override string ToString() => Begin.ToString(CultureInfo.InvariantCulture) + "-" + End.ToString(CultureInfo.InvariantCulture);
}
