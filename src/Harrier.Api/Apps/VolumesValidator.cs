using Harrier.Api.Errors;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>App volumes: host, persistent (local), external and secret (<c>AppValidation.validVolume</c>).</summary>
internal static class VolumesValidator
{
    public static IEnumerable<Violation> Validate(AppRaml app, ContainerRaml c, AppReadContext context)
    {
        var externalNames = c.Volumes.Where(v => v.External is not null).Select(ExternalName).OfType<string>().ToList();
        if (externalNames.Distinct(StringComparer.Ordinal).Count() != externalNames.Count)
        {
            yield return new Violation("/container/volumes", "Volume names must be unique");
        }
        if (c.Volumes.Any(v => v.Secret is not null) && !context.IsEnabled(AppReadContext.SecretsFeature))
        {
            yield return new Violation("/container/volumes", AppReadContext.FeatureDisabledMessage(AppReadContext.SecretsFeature));
        }
        for (var i = 0; i < c.Volumes.Count; i++)
        {
            var v = c.Volumes[i];
            var p = $"/container/volumes({i})";
            if (v.Persistent is { } pv)
            {
                foreach (var violation in Persistent(v.ContainerPath, pv, p))
                {
                    yield return violation;
                }
            }
            else if (v.External is not null && !context.IsEnabled(AppReadContext.ExternalVolumesFeature))
            {
                yield return new Violation(p, AppReadContext.FeatureDisabledMessage(AppReadContext.ExternalVolumesFeature));
            }
            else if (v.Secret is { } secret && !app.Secrets.ContainsKey(secret))
            {
                yield return new Violation(p, "volume.secret must refer to an existing secret");
            }
        }
    }

    private static IEnumerable<Violation> Persistent(string containerPath, PersistentVolumeSpec pv, string p)
    {
        if (containerPath is "." or "..")
        {
            yield return new Violation(p + "/containerPath", "must not be one of (.,..)");
        }
        if (containerPath.Contains('/', StringComparison.Ordinal))
        {
            yield return new Violation(p + "/containerPath", "value must not contain \"/\"");
        }
        if (pv.Size <= 0)
        {
            yield return new Violation(p + "/persistent/size", $"got {pv.Size}, expected more than 0");
        }
        if (pv.MaxSize is not null && pv.Type != "mount")
        {
            yield return new Violation(p + "/persistent", "Only mount volumes can have maxSize");
        }
        if (pv.MaxSize is { } max && max <= pv.Size)
        {
            yield return new Violation(p + "/persistent", "Max size must be larger than size");
        }
        if (pv.Type == "root" && !pv.Constraints.IsEmpty)
        {
            yield return new Violation(p + "/persistent", "Constraints on root volumes are not supported");
        }
        for (var j = 0; j < pv.Constraints.Count; j++)
        {
            var con = pv.Constraints[j];
            var cp = $"{p}/persistent/constraints({j})";
            if (con.Field != "path" || con.Value is null)
            {
                yield return new Violation(cp, $"Unsupported constraint {string.Join(",", new[] { con.Field, con.Operator, con.Value }.OfType<string>())}");
            }
            else if (con.Operator is not ("LIKE" or "UNLIKE"))
            {
                yield return new Violation(cp, "Operator must be one of LIKE, UNLIKE");
            }
            else if (!ConstraintsValidator.IsRegex(con.Value))
            {
                yield return new Violation(cp, "Invalid regular expression");
            }
        }
    }

    private static string? ExternalName(VolumeSpec v)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(v.External!);
            return doc.RootElement.TryGetProperty("name", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.String ? n.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
