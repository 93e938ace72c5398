namespace Harrier.Drivers.Images;

/// <summary>
/// The plumbing of a forward-only, read-only stream over <see cref="Inner"/>, which it disposes unless told it does
/// not own it: no seeking, no length, no writing. Subclasses implement the reads (and dispose what else they own in
/// <see cref="DisposeOwned"/>).
/// </summary>
internal abstract class ReadOnlyPassThroughStream(Stream inner, bool ownsInner = true) : Stream
{
    protected Stream Inner { get; } = inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Releases what the subclass owns besides <see cref="Inner"/>.</summary>
    protected virtual void DisposeOwned()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (ownsInner)
            {
                Inner.Dispose();
            }
            DisposeOwned();
        }
        base.Dispose(disposing);
    }
}
