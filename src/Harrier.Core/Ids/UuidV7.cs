namespace Harrier.Core.Ids;

/// <summary>
/// Time-ordered version 7 UUIDs (RFC 9562) from a non-cryptographic generator. <see cref="Guid.CreateVersion7()"/> and
/// <see cref="Guid.NewGuid"/> ask the kernel for random bytes on every call, which on a VM costs about 10 µs — a tenth
/// of the server's cost of creating and placing an instance. Ids need uniqueness, not secrecy: 74 random bits per
/// millisecond make a collision practically impossible. Thread-safe.
/// </summary>
public sealed class UuidV7(TimeProvider time, Random random)
{
    private readonly Lock _gate = new();

    public Guid Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        lock (_gate)
        {
            random.NextBytes(bytes[6..]);
        }
        var ms = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)ms;
            ms >>= 8;
        }
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
