using Harrier.Api.Errors;
using Harrier.Core.Ids;

namespace Harrier.Api.Apps;

/// <summary>
/// Harrier's size limits, beyond Marathon's rules: <c>instances</c> at most <c>--max-instances-per-app</c> (one app
/// of a billion instances would exhaust the server's memory in its first control pass), and persistent volume ids
/// that fit in a file name (<see cref="IdLimits"/>; the id itself is checked with the other id rules).
/// </summary>
internal static class LimitsValidator
{
    public static IEnumerable<Violation> Validate(AppRaml app, string rawId, AppReadContext context)
    {
        if (app.Instances > context.MaxInstancesPerApp)
        {
            yield return new Violation("/instances", InstancesMessage(context.MaxInstancesPerApp));
        }
        var persistent = (app.Container?.Volumes ?? [])
            .Select((v, i) => (Index: i, Volume: v))
            .Where(x => x.Volume.Persistent is not null)
            .Select(x => (x.Index, x.Volume.ContainerPath))
            .ToList();
        if (persistent.Count > 0)
        {
            foreach (var violation in IdLimits.CheckVolumes(PathId.Parse(rawId, context.BaseId), persistent))
            {
                yield return violation;
            }
        }
    }

    public static string InstancesMessage(int max) => $"must be less than or equal to {max} (--max-instances-per-app)";
}
