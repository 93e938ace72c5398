using Harrier.Api.Errors;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>
/// Rules on the deprecated fields, checked before they are translated (<c>AppValidation.validateOldAppAPI</c>):
/// <c>ports</c> against <c>portDefinitions</c>, <c>uris</c> against <c>fetch</c>, <c>ipAddress</c> and
/// <c>docker.network</c> against <c>networks</c>.
/// </summary>
internal static class DeprecatedFieldsValidator
{
    public static IEnumerable<Violation> Validate(AppRaml app)
    {
        foreach (var v in ContainerValidator.ValidateDeprecated(app.Container))
        {
            yield return v;
        }
        if (app.IpAddress?.DiscoveryPorts is not null && app.Container?.Type == ContainerType.Docker)
        {
            yield return new Violation("/ipAddress", "ipAddress/discovery is not allowed for Docker containers");
        }
        if (app.Uris is { } uris)
        {
            for (var i = 0; i < uris.Count; i++)
            {
                if (!FetchValidator.IsValidUri(uris[i]))
                {
                    yield return new Violation($"/uris({i})", FetchValidator.InvalidUri);
                }
            }
            if (uris.Count > 0 && app.Fetch.Count > 0)
            {
                yield return new Violation("/uris", "may not be set in conjunction with fetch");
            }
        }
        var networksGiven = app.Networks is { Count: > 0 };
        if (app.Container?.Docker?.Network is not null && networksGiven)
        {
            yield return new Violation("/", "must not specify both container.docker.network and networks");
        }
        if (app.IpAddress is not null && networksGiven)
        {
            yield return new Violation("/", "must not specify both networks and ipAddress");
        }
        var fixedPorts = (app.Ports ?? []).Where(p => p != 0).ToList();
        if (fixedPorts.Distinct().Count() != fixedPorts.Count)
        {
            yield return new Violation("/", "ports must be unique");
        }
        var hasPorts = app.Ports is { Count: > 0 } || app.PortDefinitions is { Count: > 0 };
        if (app.IpAddress is not null && hasPorts)
        {
            yield return new Violation("/", "cannot specify both an IP address and port");
        }
        if (app.Ports is not null && app.PortDefinitions is not null && !app.PortDefinitions.Select(d => d.Port).SequenceEqual(app.Ports))
        {
            yield return new Violation("/", "cannot specify both ports and port definitions");
        }
    }
}
