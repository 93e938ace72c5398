using System.Net.Http;

namespace Harrier.Drivers.Images;

/// <summary>
/// A registry response body whose every read must make progress within the stall timeout, and whose transport
/// failures (connection reset, a body shorter than its Content-Length) surface as RegistryUnavailable. It owns the
/// response and disposes it.
/// </summary>
internal sealed class RegistryBodyStream(HttpResponseMessage response, Stream inner, TimeSpan stallTimeout, string what) : ReadOnlyPassThroughStream(inner)
{
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(stallTimeout);
        try
        {
            return await Inner.ReadAsync(buffer, stall.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageStoreException(ImagePullFailure.RegistryUnavailable,
                $"the registry stopped sending {what} (nothing for {stallTimeout.TotalSeconds:0.#} s)", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new ImageStoreException(ImagePullFailure.RegistryUnavailable, $"the transfer of {what} broke off: {e.Message}", e);
        }
    }

    protected override void DisposeOwned() => response.Dispose();
}
