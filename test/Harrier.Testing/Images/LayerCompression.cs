namespace Harrier.Testing.Images;

/// <summary>How a test image's layer blob is compressed (and so its OCI media type).</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
