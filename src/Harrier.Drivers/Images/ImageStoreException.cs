namespace Harrier.Drivers.Images;

/// <summary>
/// A failure inside one step of a pull (registry call, blob download, layer unpack). Those steps do not know which
/// image they serve; <see cref="ImageStore"/> turns this into an <see cref="ImagePullException"/> naming it.
/// </summary>
internal sealed class ImageStoreException(ImagePullFailure failure, string cause, Exception? inner = null)
    : Exception(cause, inner)
{
    public ImagePullFailure Failure { get; } = failure;

    public string Cause { get; } = cause;
}
