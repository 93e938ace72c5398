using Harrier.Api.Errors;
using Harrier.Core.Discovery;

namespace Harrier.Api.Apps;

/// <summary>VIP labels (<c>VIP_n</c>) on port definitions and port mappings: a clear 422 for a bad address, a port out
/// of range, garbage, or one VIP claimed by two ports of the app.</summary>
internal static class VipsValidator
{
    public static IEnumerable<Violation> Validate(AppRaml app)
    {
        if (app.PortDefinitions is { } defs)
        {
            foreach (var e in VipLabelValidator.Validate(defs.Select((d, i) => new VipPort(i, d.Protocol, d.Labels))))
            {
                yield return new Violation("/portDefinitions" + e.PathSuffix, e.Message);
            }
        }
        if (app.Container?.PortMappings is { } mappings)
        {
            foreach (var e in VipLabelValidator.Validate(mappings.Select((m, i) => new VipPort(i, m.Protocol, m.Labels))))
            {
                yield return new Violation("/container/portMappings" + e.PathSuffix, e.Message);
            }
        }
    }
}
