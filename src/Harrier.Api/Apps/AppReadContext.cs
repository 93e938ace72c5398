using Harrier.Core.Ids;

namespace Harrier.Api.Apps;

/// <summary>
/// The server settings that change how an app body is read: <c>--mesos_role</c> (the default role),
/// <c>--enable_features</c> and <c>--default_network_name</c>.
/// </summary>
public sealed record AppReadContext(string DefaultRole = "*", IReadOnlySet<string>? EnabledFeatures = null, string? DefaultNetworkName = null)
{
    public const string SecretsFeature = "secrets";
    public const string GpuResourcesFeature = "gpu_resources";
    public const string ExternalVolumesFeature = "external_volumes";

    /// <summary>The base that relative ids and dependencies resolve against: <c>/</c> for /v2/apps, the enclosing group in a group body.</summary>
    public PathId BaseId { get; init; } = PathId.Root;

    /// <summary><c>--allowed-users</c>: the users an app may name in <c>user</c>; null = any.</summary>
    public IReadOnlySet<string>? AllowedUsers { get; init; }
    /// <summary><c>--max-instances-per-app</c>: more <c>instances</c> than this is a 422 (Harrier; Marathon has no cap).</summary>
    public int MaxInstancesPerApp { get; init; } = DefaultMaxInstancesPerApp;

    public const int DefaultMaxInstancesPerApp = 100_000;

    /// <summary>Whether a named network exists (an overlay, or a CNI network some agent offers); null = any name.</summary>
    public Func<string, bool>? IsKnownNetwork { get; init; }

    public bool IsEnabled(string feature) => EnabledFeatures?.Contains(feature) ?? false;

    /// <summary>Marathon's message, including its stray closing parenthesis.</summary>
    public static string FeatureDisabledMessage(string feature) => $"Feature {feature} is not enabled. Enable with --enable_features {feature})";
}
