namespace Harrier.Drivers.Images;

/// <summary>Configuration of the agent's <see cref="ImageStore"/> (the agent's image flags map onto it).</summary>
public sealed record ImageStoreOptions
{
    /// <summary>The store's directory: <c>blobs/</c>, <c>layers/</c> and <c>images/</c> live under it.</summary>
    public required string Root { get; init; }

    /// <summary><c>--registry-mirror</c>: base URLs tried, in order, before Docker Hub for <c>docker.io</c> images.</summary>
    public IReadOnlyList<Uri> Mirrors { get; init; } = [];

    /// <summary><c>--insecure-registry</c>: <c>host:port</c> of registries spoken to over plain http.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary><c>--docker-config</c>: a Docker <c>config.json</c> whose <c>auths</c> give registry credentials.</summary>
    public string? DockerConfigPath { get; init; }

    /// <summary><c>--image-gc-threshold</c>: garbage collection removes unused images until the store is under this.</summary>
    public long GcThresholdBytes { get; init; } = 10L << 30;

    /// <summary>Where <c>docker.io</c> images come from when no mirror has them; null = nowhere but the mirrors (an
    /// air-gapped agent, and every test: nothing may reach out).</summary>
    public Uri? DockerHubEndpoint { get; init; } = new("https://registry-1.docker.io");

    /// <summary>Time to establish a TCP (and TLS) connection to a registry.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Time from sending a request to having the response's headers.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the next bytes of a response body; a transfer that stalls longer fails.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest manifest, index or image config accepted.</summary>
    public long MaxManifestBytes { get; init; } = 4L << 20;
}
