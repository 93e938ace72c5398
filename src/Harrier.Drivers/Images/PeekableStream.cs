namespace Harrier.Drivers.Images;

/// <summary>
/// Lets a forward-only stream be sniffed: the first bytes are read ahead (<see cref="Head"/>) and served again
/// before the rest, as a layer's compression is recognised by its magic bytes, like Docker does.
/// </summary>
internal sealed class PeekableStream : ReadOnlyPassThroughStream
{
    private readonly byte[] _head;
    private int _served;

    private PeekableStream(Stream inner, byte[] head)
        : base(inner, ownsInner: false) => _head = head;

    public ReadOnlySpan<byte> Head => _head;

    /// <summary>Reads up to <paramref name="count"/> bytes ahead (fewer at the end of the stream). The inner stream is
    /// not disposed with this one.</summary>
    public static async Task<PeekableStream> OpenAsync(Stream inner, int count, CancellationToken cancellationToken)
    {
        var head = new byte[count];
        var read = await inner.ReadAtLeastAsync(head, count, throwOnEndOfStream: false, cancellationToken);
        return new PeekableStream(inner, head[..read]);
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_served < _head.Length)
        {
            var n = Math.Min(buffer.Length, _head.Length - _served);
            _head.AsSpan(_served, n).CopyTo(buffer.Span);
            _served += n;
            return n;
        }
        return await Inner.ReadAsync(buffer, cancellationToken);
    }
}
