namespace Harrier.Dns.Records;

/// <summary>z-base-32 (Zooko's human-oriented base 32, as github.com/tv42/zbase32 encodes whole bytes): 5 bits per
/// character, most significant first, no padding.</summary>
public static class Zbase32
{
    private const string Alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[((data.Length * 8) + 4) / 5];
        var buffer = 0;
        var bits = 0;
        var n = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[n++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        if (bits > 0)
        {
            chars[n++] = Alphabet[(buffer << (5 - bits)) & 31];
        }
        return new string(chars, 0, n);
    }
}
