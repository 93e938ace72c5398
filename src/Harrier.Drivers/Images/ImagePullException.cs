namespace Harrier.Drivers.Images;

/// <summary>
/// A pull that failed. <see cref="Exception.Message"/> names the image and the cause in one line, ready for
/// TASK_FAILED, e.g. <c>Failed to pull image 'docker.io/library/nope:latest': not found in the registry
/// (MANIFEST_UNKNOWN)</c>. Nothing of a failed pull is left in the store but verified, complete blobs.
/// </summary>
public sealed class ImagePullException : Exception
{
    public ImagePullException(string image, ImagePullFailure failure, string cause, Exception? inner = null)
        : base($"Failed to pull image '{image}': {cause}", inner)
    {
        Image = image;
        Failure = failure;
        Cause = cause;
    }

    public string Image { get; }

    public ImagePullFailure Failure { get; }

    public string Cause { get; }
}
