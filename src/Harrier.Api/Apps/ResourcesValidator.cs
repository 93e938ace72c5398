using Harrier.Api.Errors;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>GPUs and resource limits (<c>complyWithGpuRules</c>, <c>ResourceLimitsValidation</c>).</summary>
internal static class ResourcesValidator
{
    public static IEnumerable<Violation> Validate(AppRaml app, AppReadContext context)
    {
        if (app.Gpus > 0)
        {
            if (app.Container?.Type == ContainerType.Docker)
            {
                yield return new Violation("/", "GPU resources only work with the Mesos containerizer");
            }
            if (!context.IsEnabled(AppReadContext.GpuResourcesFeature))
            {
                yield return new Violation("/", AppReadContext.FeatureDisabledMessage(AppReadContext.GpuResourcesFeature));
            }
        }
        foreach (var (name, value) in app.InvalidResourceLimits)
        {
            yield return new Violation($"/resourceLimits/{name}", $"'{value}' is an invalid resource limit. It must be 'unlimited' or a number");
        }
        if (app.ResourceLimits?.Cpus is { } cpus && cpus < app.Cpus)
        {
            yield return new Violation("/resourceLimits/cpus", $"resource limit must be greater than or equal to requested resource ({ScalaText.Double(app.Cpus)})");
        }
        if (app.ResourceLimits?.Mem is { } mem && mem < app.Mem)
        {
            yield return new Violation("/resourceLimits/mem", $"resource limit must be greater than or equal to requested resource ({ScalaText.Double(app.Mem)})");
        }
    }
}
