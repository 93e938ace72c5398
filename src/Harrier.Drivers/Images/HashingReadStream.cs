using System.Security.Cryptography;

namespace Harrier.Drivers.Images;

/// <summary>A read-only pass-through that computes the SHA-256 of everything read (a layer's diff_id).</summary>
internal sealed class HashingReadStream(Stream inner) : ReadOnlyPassThroughStream(inner)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary><c>sha256:</c> and the hex digest of the bytes read so far.</summary>
    public string Digest() => "sha256:" + Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        _hash.AppendData(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        _hash.AppendData(buffer.Span[..read]);
        return read;
    }

    protected override void DisposeOwned() => _hash.Dispose();
}
