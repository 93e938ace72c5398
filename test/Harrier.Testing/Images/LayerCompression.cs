namespace Harrier.Testing.Images;

/// <summary>How a test image's layer blob is compressed (and so its OCI media type).</summary>
public enum LayerCompression
{
    None,

    /// <summary>gzip at the fastest level (quick to build): every byte that finds no match is a static-Huffman literal,
    /// so incompressible content grows by about 5.5 % and is the costliest case to inflate.</summary>
    Gzip,

    /// <summary>gzip at zlib's default level, as <c>docker push</c> and containerd write layers: incompressible content
    /// goes into stored blocks (no growth, inflated at copy speed).</summary>
    GzipDefault,

    Zstd,
}
