using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>
/// Marathon's <c>AppNormalization.forDeprecated</c> and <c>forPreValidation</c>: translates the deprecated fields
/// into the canonical ones and fills the defaults that validation relies on. The order of the port rules follows
/// Marathon's (migrate docker mappings, ipAddress discovery, drop mappings on host networking, default mappings,
/// one extra mapping per surplus port definition). Conflicts that Marathon raises as a <c>NormalizationException</c>
/// (an HTTP 500 there) come back as <see cref="NormalizationFailure"/>.
/// </summary>
internal static class AppNormalizer
{
    /// <summary>Marathon's <c>--mesos_bridge_name</c> default: an <c>ipAddress.networkName</c> equal to it means bridge mode.</summary>
    public const string MesosBridgeName = "mesos-bridge";

    private static readonly string[] ExtractableSuffixes = [".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz", ".zip", ".tar", ".gz"];

    public static PortDefinition DefaultPortDefinition { get; } = new(0, "default");

    public static PortMapping DefaultPortMapping { get; } = new(ContainerPort: 0, Name: "default");

    public static AppRaml Normalize(AppRaml app, AppReadContext context)
    {
        if (app.Uris is { Count: > 0 } && app.Fetch.Count > 0)
        {
            throw new NormalizationFailure("cannot specify both uris and fetch fields");
        }
        var networks = NetworkTranslation.Translate(app);
        var nonHost = networks.Any(n => n.Mode != NetworkMode.Host);
        var migratedPortDefinitions = app.PortDefinitions ?? app.Ports?.Select(p => new PortDefinition(p)).ToList();
        var container = Container(app, networks, nonHost, migratedPortDefinitions);
        // Marathon normalizes health checks only when the request itself names ports.
        var normalizeChecks = app.PortDefinitions is { Count: > 0 } || container?.PortMappings is { Count: > 0 };
        var hasPersistent = app.Container?.Volumes.Any(v => v.Persistent is not null) ?? false;
        return app with
        {
            Networks = networks,
            Container = container,
            PortDefinitions = nonHost ? null : migratedPortDefinitions ?? [DefaultPortDefinition],
            Ports = null,
            IpAddress = null,
            Fetch = app.Uris is { Count: > 0 } uris ? uris.Select(FromLegacyUri).ToList() : app.Fetch,
            Uris = null,
            HealthChecks = normalizeChecks ? app.HealthChecks.Select(DefaultPortIndex).ToList() : app.HealthChecks,
            Residency = hasPersistent ? app.Residency ?? new ResidencySpec() : app.Residency,
            Role = app.Role ?? context.DefaultRole,
        };
    }

    /// <summary><c>uris</c> to <c>fetch</c>: archives are extracted (<c>FetchUri.isExtract</c>).</summary>
    public static FetchUri FromLegacyUri(string uri) =>
        new(uri, Extract: ExtractableSuffixes.Any(s => uri.EndsWith(s, StringComparison.Ordinal)));

    /// <summary>A non-COMMAND health check with neither <c>port</c> nor <c>portIndex</c> addresses the first port.</summary>
    public static HealthCheckSpec DefaultPortIndex(HealthCheckSpec check) =>
        check.Protocol != HealthCheckProtocol.Command && check.Port is null && check.PortIndex is null
            ? check with { PortIndex = 0 }
            : check;

    private static ContainerRaml? Container(AppRaml app, List<NetworkSpec> networks, bool nonHost, IReadOnlyList<PortDefinition>? portDefinitions)
    {
        // No container but an ipAddress implies an empty MESOS container.
        var c = app.Container ?? (app.IpAddress is not null ? new ContainerRaml { Type = ContainerType.Mesos } : null);
        if (c is null)
        {
            return null;
        }
        var mappings = MigrateDockerPortMappings(c);
        mappings = MigrateIpDiscovery(c.Type, mappings, app.IpAddress?.DiscoveryPorts);
        if (!nonHost || networks.Count == 0)
        {
            mappings = null;
        }
        else
        {
            mappings ??= [AppNormalizer.DefaultPortMapping];
            var surplus = (portDefinitions?.Count ?? 0) - mappings.Count;
            if (surplus > 0)
            {
                mappings = [.. mappings, .. Enumerable.Repeat(new PortMapping(), surplus)];
            }
        }
        return c with
        {
            PortMappings = mappings,
            Docker = c.Docker is null ? null : c.Docker with { Network = null, PortMappings = null },
        };
    }

    private static IReadOnlyList<PortMapping>? MigrateDockerPortMappings(ContainerRaml c)
    {
        if (c.Docker?.PortMappings is not { } docker)
        {
            return c.PortMappings;
        }
        if (c.PortMappings is not null && docker.Count > 0)
        {
            throw new NormalizationFailure("cannot specify both portMappings and docker.portMappings");
        }
        return c.PortMappings ?? docker;
    }

    private static IReadOnlyList<PortMapping>? MigrateIpDiscovery(ContainerType type, IReadOnlyList<PortMapping>? mappings, IReadOnlyList<PortMapping>? discovery)
    {
        if (discovery is not { Count: > 0 })
        {
            return mappings;
        }
        if (type != ContainerType.Mesos)
        {
            throw new NormalizationFailure("ipAddress.discovery.ports do not apply for container type DOCKER");
        }
        if (mappings is not null)
        {
            throw new NormalizationFailure("container.portMappings and ipAddress.discovery.ports must not both be set");
        }
        return discovery;
    }
}
