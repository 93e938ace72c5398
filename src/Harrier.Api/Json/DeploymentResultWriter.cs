using System.Text.Json;
using Harrier.Core.Deployments;

namespace Harrier.Api.Json;

internal static class DeploymentResultWriter
{
    /// <summary><c>{"deploymentId":…,"version":…}</c> (§1.6).</summary>
    public static void Write(Utf8JsonWriter w, DeploymentPlan plan)
    {
        w.WriteStartObject();
        w.WriteString("deploymentId", plan.Id.Value);
        w.WriteString("version", plan.Version.ToString());
        w.WriteEndObject();
    }
}
