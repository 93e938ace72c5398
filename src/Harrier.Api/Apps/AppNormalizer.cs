using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>
/// Marathon's <c>AppNormalization.forDeprecated</c> and <c>forPreValidation</c>: translates the deprecated fields
/// into the canonical ones and fills defaults that validation relies on. Conflicts that Marathon raises as a
/// <c>NormalizationException</c> (an HTTP 500 there) come back as <see cref="NormalizationFailure"/>.
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
        if (app.Container?.Docker?.PortMappings is { Count: > 0 } && app.Container.PortMappings is { Count: > 0 })
        {
            throw new NormalizationFailure("cannot specify both portMappings and docker.portMappings");
        }
        if (app.Uris is { Count: > 0 } && app.Fetch.Count > 0)
        {
            throw new NormalizationFailure("cannot specify both uris and fetch fields");
        }
        var networks = Networks(app);
        var isHost = networks.Count == 0 || networks[0].Mode == NetworkMode.Host;
        var container = WithLegacyPorts(Container(app, isHost), isHost ? null : app.PortDefinitions is null ? app.Ports : null);
        // Legacy `ports` are port definitions on host networking only; elsewhere they become port mappings.
        var portDefinitions = app.PortDefinitions ?? (isHost ? app.Ports?.Select(p => new PortDefinition(p)).ToList() : null);
        if (isHost && portDefinitions is null)
        {
            portDefinitions = [DefaultPortDefinition];
        }
        var portCount = isHost ? portDefinitions?.Count ?? 0 : container?.PortMappings?.Count ?? 0;
        var hasPersistent = container?.Volumes.Any(v => v.Persistent is not null) ?? false;
        return app with
        {
            Networks = networks,
            Container = container,
            PortDefinitions = portDefinitions,
            Ports = null,
            IpAddress = null,
            Fetch = app.Uris is { Count: > 0 } uris ? uris.Select(FromLegacyUri).ToList() : app.Fetch,
            Uris = null,
            HealthChecks = app.HealthChecks.Select(h => DefaultPortIndex(h, portCount)).ToList(),
            Residency = app.Residency ?? (hasPersistent ? new ResidencySpec() : null),
            Role = app.Role ?? context.DefaultRole,
        };
    }

    /// <summary><c>uris</c> to <c>fetch</c>: archives are extracted (<c>FetchUri.isExtract</c>).</summary>
    public static FetchUri FromLegacyUri(string uri) =>
        new(uri, Extract: ExtractableSuffixes.Any(s => uri.EndsWith(s, StringComparison.Ordinal)));

    private static List<NetworkSpec> Networks(AppRaml app)
    {
        if (app.IpAddress is { } ip)
        {
            var labels = new Core.Collections.ValueMap<string>(ip.Labels);
            return ip.NetworkName == MesosBridgeName
                ? [new NetworkSpec(NetworkMode.ContainerBridge, null, labels)]
                : [new NetworkSpec(NetworkMode.Container, ip.NetworkName, labels)];
        }
        switch (app.Container?.Docker?.Network)
        {
            case "BRIDGE":
                return [new NetworkSpec(NetworkMode.ContainerBridge)];
            case "USER":
                return [new NetworkSpec(NetworkMode.Container)];
            case "HOST":
                return [NetworkSpec.Host];
            case "NONE":
                throw new NormalizationFailure("unsupported docker network type NONE");
        }
        return app.Networks is { Count: > 0 } given ? [.. given] : [NetworkSpec.Host];
    }

    private static ContainerRaml? Container(AppRaml app, bool isHost)
    {
        var c = app.Container;
        if (c is null)
        {
            // ipAddress discovery ports without a container still become port mappings (of the MESOS container
            // created after validation).
            return !isHost && app.IpAddress?.DiscoveryPorts is { Count: > 0 } ports
                ? new ContainerRaml { Type = ContainerType.Mesos, PortMappings = ports }
                : null;
        }
        var mappings = c.PortMappings ?? c.Docker?.PortMappings ?? app.IpAddress?.DiscoveryPorts;
        if (isHost && c.PortMappings is null)
        {
            // Legacy docker mappings are meaningless on host networking and are dropped (maybeDropPortMappings).
            mappings = null;
        }
        else if (!isHost && mappings is null)
        {
            mappings = [DefaultPortMapping];
        }
        return c with
        {
            PortMappings = mappings,
            Docker = c.Docker is null ? null : c.Docker with { Network = null, PortMappings = null },
        };
    }

    /// <summary>Adds a port mapping (service port = the legacy port) for each legacy port beyond the mappings count.</summary>
    private static ContainerRaml? WithLegacyPorts(ContainerRaml? c, IReadOnlyList<int>? ports)
    {
        if (ports is not { Count: > 0 })
        {
            return c;
        }
        c ??= new ContainerRaml { Type = ContainerType.Mesos };
        var mappings = (c.PortMappings ?? []).Where(m => m != DefaultPortMapping).ToList();
        mappings.AddRange(ports.Skip(mappings.Count).Select(p => new PortMapping(ContainerPort: 0, ServicePort: p)));
        return c with { PortMappings = mappings };
    }

    private static HealthCheckSpec DefaultPortIndex(HealthCheckSpec check, int portCount) =>
        check.Protocol != HealthCheckProtocol.Command && check.Command is null && check.Port is null && check.PortIndex is null && portCount > 0
            ? check with { PortIndex = 0 }
            : check;
}
