namespace Harrier.Drivers.Images;

/// <summary>Why a pull failed, so the agent and the API can say it precisely.</summary>
public enum ImagePullFailure
{
    /// <summary>The reference is not a valid image reference.</summary>
    InvalidReference,
    /// <summary>The registry answered that the repository, tag or digest does not exist (404, MANIFEST_UNKNOWN, NAME_UNKNOWN).</summary>
    NotFound,
    /// <summary>The registry refused the credentials, or asked for some and none were configured (401/403).</summary>
    Unauthorized,
    /// <summary>The registry could not be reached, answered 5xx, hung past the timeout, or cut a transfer short.</summary>
    RegistryUnavailable,
    /// <summary>Content did not match its digest, a manifest or blob was over a size limit, or it was malformed.</summary>
    InvalidContent,
    /// <summary>A layer tried to write outside its directory (<c>..</c>, an absolute path, a link pointing out).</summary>
    UnsafeLayer,
    /// <summary>No manifest for linux/amd64 in a manifest list or index.</summary>
    NoMatchingPlatform,
    /// <summary>The disk under the image store is full (ENOSPC).</summary>
    DiskFull,
    /// <summary>The store could not write its own files for another reason (permissions, an I/O error).</summary>
    StoreError,
}
