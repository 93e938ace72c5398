using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary>The DC/OS migration labels (<c>complyWithMigrationAPI</c>).</summary>
internal static class LabelsValidator
{
    public static IEnumerable<Violation> Validate(AppRaml app)
    {
        if (app.Labels.TryGetValue("DCOS_MIGRATION_API_VERSION", out var version) && version.Length > 0)
        {
            var ok = version == "v1"
                && app.Labels.TryGetValue("DCOS_PACKAGE_FRAMEWORK_NAME", out var name) && name.Length > 0
                && app.Labels.TryGetValue("DCOS_MIGRATION_API_PATH", out var path) && path.Length > 0;
            if (!ok)
            {
                yield return new Violation("/", "DCOS_PACKAGE_FRAMEWORK_NAME and DCOS_MIGRATION_API_PATH must be defined when using DCOS_MIGRATION_API_VERSION");
            }
        }
    }
}
