namespace Harrier.Drivers.Images;

/// <summary>
/// An image present in the agent's <see cref="IImageStore"/>, ready to be the lower layers of a container's rootfs.
/// </summary>
/// <param name="Reference">The normalized reference the image was pulled as (<c>docker.io/library/busybox:latest</c>).</param>
/// <param name="ManifestDigest">The digest of the image manifest picked for linux/amd64 (<c>sha256:…</c>).</param>
/// <param name="ConfigDigest">The digest of the image config (the image id).</param>
/// <param name="Config">How containers of the image run.</param>
/// <param name="LayerDirectories">Each layer unpacked once, as an absolute directory, <b>bottom layer first</b>
/// (overlayfs wants the reverse: the top layer first in <c>lowerdir</c>).</param>
/// <param name="Size">Bytes the image's unpacked layers take.</param>
public sealed record PulledImage(
    string Reference,
    string ManifestDigest,
    string ConfigDigest,
    ImageConfig Config,
    IReadOnlyList<string> LayerDirectories,
    long Size);
