using System.Collections.Concurrent;

namespace Harrier.Dns.Server;

/// <summary>
/// Turns a question name into the lower-case absolute text the zone is keyed by (<c>web.marathon.mesos.</c>), without an
/// allocation for a name seen before: decoded into a stack buffer, then looked up in a bounded intern table by span.
/// Bytes that cannot occur in a zone name (a dot inside a label, control or non-ASCII bytes) are written as <c>\DDD</c>,
/// so such a name can never collide with a real one.
/// </summary>
internal sealed class DnsNames
{
    /// <summary>Presentation form of a 255-byte name in the worst case (every byte escaped as \DDD).</summary>
    private const int MaxChars = 1024;

    private readonly ConcurrentDictionary<string, string> _interned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;

    /// <param name="capacity">Names kept; beyond it a new name is allocated per query and not kept (memory stays
    /// bounded whatever names a client invents).</param>
    public DnsNames(int capacity = 65536)
    {
        _capacity = capacity;
        _lookup = _interned.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _interned.Count;

    /// <summary>The name at <paramref name="start"/> (an uncompressed name the parser already checked).</summary>
    public string Decode(ReadOnlySpan<byte> message, int start)
    {
        Span<char> chars = stackalloc char[MaxChars];
        var length = Format(message, start, chars);
        var text = chars[..length];
        if (_lookup.TryGetValue(text, out var known))
        {
            return known;
        }
        var created = new string(text);
        if (_interned.Count < _capacity)
        {
            _interned.TryAdd(created, created);
        }
        return created;
    }

    private static int Format(ReadOnlySpan<byte> message, int position, Span<char> chars)
    {
        var length = 0;
        while (message[position] != 0)
        {
            int label = message[position++];
            for (var i = 0; i < label; i++)
            {
                var b = message[position++];
                if (b is >= (byte)'A' and <= (byte)'Z')
                {
                    chars[length++] = (char)(b | 0x20);
                }
                else if (b is > 0x20 and < 0x7F and not (byte)'.' and not (byte)'\\')
                {
                    chars[length++] = (char)b;
                }
                else
                {
                    chars[length++] = '\\';
                    chars[length++] = (char)('0' + b / 100);
                    chars[length++] = (char)('0' + b / 10 % 10);
                    chars[length++] = (char)('0' + b % 10);
                }
            }
            chars[length++] = '.';
        }
        if (length == 0)
        {
            chars[length++] = '.';
        }
        return length;
    }
}
