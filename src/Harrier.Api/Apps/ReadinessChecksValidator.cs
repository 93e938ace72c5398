using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary>Readiness checks (<c>complyWithReadinessCheckRules</c>): at most one, a known port name, timeout below interval.</summary>
internal static class ReadinessChecksValidator
{
    public static IEnumerable<Violation> Validate(AppRaml app)
    {
        if (app.ReadinessChecks.Count > 1)
        {
            yield return new Violation("/readinessChecks", $"got {app.ReadinessChecks.Count}, expected 1 or less");
        }
        var names = app.Container?.PortMappings is { } mappings
            ? mappings.Select(m => m.Name)
            : (app.PortDefinitions ?? []).Select(d => d.Name);
        var portNames = names.OfType<string>().ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < app.ReadinessChecks.Count; i++)
        {
            var rc = app.ReadinessChecks[i];
            if (!portNames.Contains(rc.PortName))
            {
                yield return new Violation($"/readinessChecks({i})/portName", $"No port definition reference for portName {rc.PortName}");
            }
            if (rc.TimeoutSeconds >= rc.IntervalSeconds)
            {
                yield return new Violation($"/readinessChecks({i})/timeoutSeconds", $"got {rc.TimeoutSeconds}, expected less than {rc.IntervalSeconds}");
            }
        }
    }
}
