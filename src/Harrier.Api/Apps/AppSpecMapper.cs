using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;

namespace Harrier.Api.Apps;

/// <summary>
/// Turns a validated, canonical <see cref="AppRaml"/> into the domain <see cref="AppSpec"/>, applying Marathon's
/// <c>forPostValidation</c> defaults: default network names, an empty MESOS container for non-host networking,
/// <c>hostPort</c> 0 in bridge mode, resident-app strategies and <c>requirePorts</c> false off host networking.
/// </summary>
internal static class AppSpecMapper
{
    public static AppSpec ToSpec(AppRaml app, PathId id, AppReadContext context)
    {
        var networks = (app.Networks is { Count: > 0 } given ? given : [NetworkSpec.Host])
            .Select(n => n.Mode == NetworkMode.Container && n.Name is null && context.DefaultNetworkName is { } d ? n with { Name = d } : n)
            .ToList();
        var isHost = networks.Count == 0 || networks[0].Mode == NetworkMode.Host;
        var isBridge = !isHost && networks[0].Mode == NetworkMode.ContainerBridge;
        var container = ToContainer(app.Container, isHost, isBridge);
        var resident = container?.Volumes.Any(v => v.Persistent is not null || v.External is not null) ?? false;
        var persistent = container?.Volumes.Any(v => v.Persistent is not null) ?? false;
        return new AppSpec
        {
            Id = id,
            Cmd = app.Cmd,
            Args = new(app.Args),
            User = app.User,
            Instances = app.Instances,
            Cpus = app.Cpus,
            Mem = app.Mem,
            Disk = app.Disk,
            Gpus = app.Gpus,
            ResourceLimits = app.ResourceLimits,
            Executor = app.Executor,
            ExecutorResources = app.ExecutorResources,
            Env = new(app.Env),
            Secrets = new(app.Secrets),
            Labels = new(app.Labels),
            Constraints = new(app.Constraints.Select(c => new ConstraintSpec(c[0], c[1].ToUpperInvariant(), c.Count > 2 ? c[2] : null)).Distinct()),
            AcceptedResourceRoles = app.AcceptedResourceRoles is { } roles ? new ValueList<string>(roles.Distinct(StringComparer.Ordinal)) : (ValueList<string>?)null,
            Role = app.Role ?? context.DefaultRole,
            Container = container,
            Networks = new(networks),
            PortDefinitions = isHost ? new(app.PortDefinitions ?? []) : ValueList<PortDefinition>.Empty,
            RequirePorts = isHost && app.RequirePorts,
            Fetch = new(app.Fetch),
            // A stored check without port or index reads back as index 0 (PortReference.fromProto).
            HealthChecks = new(app.HealthChecks.Select(AppNormalizer.DefaultPortIndex).Distinct()),
            Check = app.Check,
            ReadinessChecks = new(app.ReadinessChecks),
            Dependencies = new(app.Dependencies.Select(d => PathId.Parse(d, context.BaseId)).Distinct()),
            UpgradeStrategy = app.UpgradeStrategy ?? (resident ? UpgradeStrategy.ResidentDefault : UpgradeStrategy.Default),
            BackoffSeconds = app.BackoffSeconds,
            BackoffFactor = app.BackoffFactor,
            MaxLaunchDelaySeconds = app.MaxLaunchDelaySeconds,
            KillSelection = app.KillSelection,
            UnreachableStrategy = app.UnreachableStrategy ?? (persistent ? UnreachableStrategy.DisabledStrategy : UnreachableStrategy.Default),
            TaskKillGracePeriodSeconds = app.TaskKillGracePeriodSeconds,
            Tty = app.Tty,
            Residency = persistent ? app.Residency ?? new ResidencySpec() : null,
        };
    }

    private static ContainerSpec? ToContainer(ContainerRaml? c, bool isHost, bool isBridge)
    {
        if (c is null)
        {
            return isHost ? null : new ContainerSpec { Type = ContainerType.Mesos, PortMappings = new[] { AppNormalizer.DefaultPortMapping } };
        }
        var mappings = isHost ? [] : (c.PortMappings ?? [AppNormalizer.DefaultPortMapping]);
        return new ContainerSpec
        {
            Type = c.Type,
            Docker = c.Docker is { } d
                ? new DockerSpec
                {
                    Image = d.Image,
                    ForcePullImage = d.ForcePullImage,
                    Privileged = d.Privileged,
                    Parameters = new(d.Parameters),
                    PullConfigSecret = d.PullConfigSecret,
                }
                : null,
            PortMappings = new(mappings.Select(m => isBridge && m.HostPort is null ? m with { HostPort = 0 } : m)),
            Volumes = new(c.Volumes),
            LinuxInfo = c.LinuxInfo,
        };
    }
}
