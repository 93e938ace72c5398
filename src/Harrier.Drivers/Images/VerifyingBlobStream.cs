using System.Security.Cryptography;

namespace Harrier.Drivers.Images;

/// <summary>
/// A blob as it arrives from the registry, checked as it is read: never more bytes than its descriptor says, and,
/// once read to the end (<see cref="VerifyAsync"/>), exactly that size and its digest. A layer is unpacked straight
/// from it, and its directory is renamed into place only after <see cref="VerifyAsync"/> passed, so unverified
/// content is never kept.
/// </summary>
internal sealed class VerifyingBlobStream(Stream inner, string digest, long size, Action<long>? bytesRead) : ReadOnlyPassThroughStream(inner)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _total;

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        _total += read;
        if (_total > size)
        {
            throw Invalid($"is longer than the {size} bytes its descriptor says");
        }
        _hash.AppendData(buffer.Span[..read]);
        if (read > 0)
        {
            bytesRead?.Invoke(read);
        }
        return read;
    }

    /// <summary>Reads what the decompressor left (padding, trailers) and checks the size and the digest.</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        await CopyToAsync(Stream.Null, cancellationToken);
        if (_total != size)
        {
            throw Invalid($"was cut short: {_total} of {size} bytes");
        }
        var actual = "sha256:" + Convert.ToHexStringLower(_hash.GetCurrentHash());
        if (actual != digest)
        {
            throw Invalid($"does not match its digest (got {actual})");
        }
    }

    protected override void DisposeOwned() => _hash.Dispose();

    private ImageStoreException Invalid(string what) => new(ImagePullFailure.InvalidContent, $"blob {digest} {what}");
}
