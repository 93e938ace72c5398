using Harrier.Api.Errors;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>Port definitions and port mappings, and which networking mode allows which.</summary>
internal static class PortsValidator
{
    public const string NetworkNameRequiredForMultipleContainerNetworks =
        "networkNames must be a single item list when hostPort is specified and more than 1 container network is defined";

    public static IEnumerable<Violation> Validate(AppRaml app)
    {
        var networks = app.Networks ?? [];
        if (app.PortDefinitions is { } defs)
        {
            if (HasDuplicates(defs.Select(d => d.Name).OfType<string>()))
            {
                yield return new Violation("/portDefinitions", "Port names must be unique.");
            }
            if (HasDuplicates(defs.Select(d => d.Port).Where(p => p != 0)))
            {
                yield return new Violation("/portDefinitions", "Ports must be unique.");
            }
        }
        if (app.Container?.PortMappings is { } mappings)
        {
            if (HasDuplicates(mappings.Select(m => m.Name).OfType<string>()))
            {
                yield return new Violation("/container/portMappings", "Port names must be unique.");
            }
            var containerNetworks = networks.Count(n => n.Mode == NetworkMode.Container);
            var names = networks.Select(n => n.Name).OfType<string>().ToList();
            for (var i = 0; i < mappings.Count; i++)
            {
                var m = mappings[i];
                if (containerNetworks > 1 && m.HostPort is not null && m.NetworkNames.Count != 1)
                {
                    yield return new Violation($"/container/portMappings({i})", NetworkNameRequiredForMultipleContainerNetworks);
                }
                for (var j = 0; j < m.NetworkNames.Count; j++)
                {
                    if (!names.Contains(m.NetworkNames[j]))
                    {
                        yield return new Violation($"/container/portMappings({i})/networkNames({j})", $"is not one of ({string.Join(",", names)})");
                    }
                }
            }
        }
        if (networks.Any(n => n.Mode == NetworkMode.Host) && app.Container?.PortMappings is { Count: > 0 })
        {
            yield return new Violation("/", "portMappings are not allowed with host-networking");
        }
        if (networks.Any(n => n.Mode != NetworkMode.Host) && app.PortDefinitions is { Count: > 0 })
        {
            yield return new Violation("/", "portDefinitions are only allowed with host-networking");
        }
    }

    private static bool HasDuplicates<T>(IEnumerable<T> values)
    {
        var seen = new HashSet<T>();
        return values.Any(v => !seen.Add(v));
    }
}
