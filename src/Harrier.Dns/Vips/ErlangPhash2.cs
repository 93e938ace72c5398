namespace Harrier.Dns.Vips;

/// <summary>
/// <c>erlang:phash2/2</c> for a binary term, bit for bit: ERTS's <c>make_hash2</c> hashes a binary with Bob Jenkins'
/// lookup2 block hash (12-byte rounds, little-endian words, the length added to c before the last mix) seeded with
/// the constant HCONST·13 (the initial hash being 0), and phash2/2 reduces it modulo the range. Erlang documents
/// phash2 as portable across machines and ERTS versions, which is why dcos-net could hash VIP names with it.
/// Written from the description of the algorithm in erts/emulator/beam (read, not copied).
/// </summary>
public static class ErlangPhash2
{
    private const uint Golden = 0x9e3779b9;

    // (HCONST * 13) mod 2^32: the seed make_hash2 uses for binaries.
    private const uint BinarySeed = 0x08d12e65;

    /// <summary>phash2(Binary, Range): 0..range-1. A range of 0 stands for 2^32, as in Erlang.</summary>
    public static uint Hash(ReadOnlySpan<byte> binary, uint range)
    {
        var hash = Hash(binary);
        return range == 0 ? hash : hash % range;
    }

    /// <summary>The 32-bit make_hash2 value of a binary.</summary>
    public static uint Hash(ReadOnlySpan<byte> k)
    {
        uint a = Golden, b = Golden, c = BinarySeed;
        var length = (uint)k.Length;
        while (k.Length >= 12)
        {
            a += Word(k);
            b += Word(k[4..]);
            c += Word(k[8..]);
            Mix(ref a, ref b, ref c);
            k = k[12..];
        }
        c += length;
        // The low byte of c is taken by the length, so the last bytes shift one place up there.
        for (var i = k.Length - 1; i >= 0; i--)
        {
            switch (i)
            {
                case >= 8: c += (uint)k[i] << (8 * (i - 7)); break;
                case >= 4: b += (uint)k[i] << (8 * (i - 4)); break;
                default: a += (uint)k[i] << (8 * i); break;
            }
        }
        Mix(ref a, ref b, ref c);
        return c;
    }

    private static uint Word(ReadOnlySpan<byte> k) => k[0] | ((uint)k[1] << 8) | ((uint)k[2] << 16) | ((uint)k[3] << 24);

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= b; a -= c; a ^= c >> 13;
        b -= c; b -= a; b ^= a << 8;
        c -= a; c -= b; c ^= b >> 13;
        a -= b; a -= c; a ^= c >> 12;
        b -= c; b -= a; b ^= a << 16;
        c -= a; c -= b; c ^= b >> 5;
        a -= b; a -= c; a ^= c >> 3;
        b -= c; b -= a; b ^= a << 10;
        c -= a; c -= b; c ^= b >> 15;
    }
}
