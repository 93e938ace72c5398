using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// The body of zdd's scale request (<c>PUT /v2/apps/{id}</c>). Marathon's partial update takes <c>resourceLimits</c>
/// and <c>executorResources</c> from the update as they are, so zdd.py's bare <c>{"instances": N}</c> cleared them: a
/// config change that restarted the new colour's tasks in the middle of the swap and left the app without the limits
/// the user gave. The app's current values are sent again, which makes the request a scale and nothing else.
/// </summary>
internal static class ZddScaleBody
{
    private static readonly string[] ClearedWhenLeftOut = ["resourceLimits", "executorResources"];

    /// <param name="current">The app as the server last answered it.</param>
    /// <param name="instances">The new instance count.</param>
    public static string For(JsonObject current, int instances)
    {
        var body = new JsonObject { ["instances"] = instances };
        foreach (var key in ClearedWhenLeftOut)
        {
            if (current[key] is JsonObject value)
            {
                body[key] = value.DeepClone();
            }
        }
        return body.ToJsonString();
    }
}
