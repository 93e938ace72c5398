using System.Globalization;
using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Turns the user's app JSON into the colour zdd creates (zdd.py's validate_app + prepare_deploy), a pure function of
/// the app, the deploys already running in its <c>HAPROXY_DEPLOYMENT_GROUP</c>, the instance flags and the clock.
/// </summary>
internal static class ZddAppPreparer
{
    public const string Step = "prepare the new app";

    /// <summary>Refuses an app zdd cannot deploy: no id, no deployment group, no usable alt port, no service port.</summary>
    public static void Validate(JsonObject app)
    {
        var id = ZddAppJson.Id(app);
        if (string.IsNullOrWhiteSpace(id) || !ZddAppIds.IsValid(id.StartsWith('/') ? id : "/" + id))
        {
            throw new ZddFailure("validate the app", $"the app's id '{ZddAppJson.Printable(id ?? "")}' is not a Marathon app id");
        }
        if (app["labels"] is not JsonObject)
        {
            throw new ZddFailure("validate the app", $"app {id} has no labels: define {ZddLabels.DeploymentGroup} and {ZddLabels.AltPort}");
        }
        var group = ZddAppJson.DeploymentGroup(app);
        if (group is null)
        {
            throw new ZddFailure("validate the app", $"app {id}: define the {ZddLabels.DeploymentGroup} label");
        }
        // The group becomes an app id and a backend name: one path-like token, nothing a config line could be split by.
        if (group.Length == 0 || !ZddAppIds.IsValid("/" + group.TrimStart('/')))
        {
            throw new ZddFailure("validate the app", $"app {id}: {ZddLabels.DeploymentGroup}='{ZddAppJson.Printable(group)}' is not a valid group name (lower-case letters, digits, '-', '.', '/')");
        }
        if (ZddAppJson.Label(app, ZddLabels.AltPort) is null)
        {
            throw new ZddFailure("validate the app", $"app {id}: define the {ZddLabels.AltPort} label");
        }
        if (AltPort(app) is null)
        {
            throw new ZddFailure("validate the app", $"app {id}: {ZddLabels.AltPort}='{ZddAppJson.Printable(ZddAppJson.Label(app, ZddLabels.AltPort)!)}' is not a port (1-65535)");
        }
        if (ZddServicePorts.Get(app) is null)
        {
            throw new ZddFailure("validate the app", $"app {id} has no service port (container.portMappings, portDefinitions or ports)");
        }
    }

    /// <summary>
    /// The new colour: id <c>&lt;id&gt;-&lt;colour&gt;</c> (the opposite of the newest existing deploy's, blue first),
    /// <c>HAPROXY_APP_ID</c> = the given id, <c>HAPROXY_0_PORT</c> = the given service port, Marathon's service port
    /// switched to the alt port or back, the target = the newest deploy's instances, and the initial instances.
    /// </summary>
    /// <param name="app">The validated user app (not changed; a copy is returned).</param>
    /// <param name="previousDeploys">The apps already in the group.</param>
    /// <param name="newInstances"><c>--new-instances</c> (0 = a full blue/green swap; else a hybrid split).</param>
    /// <param name="initialInstances"><c>--initial-instances</c>.</param>
    /// <param name="now">Local time, written as <c>HAPROXY_DEPLOYMENT_STARTED_AT</c> (zdd.py's datetime.now().isoformat()).</param>
    public static JsonObject Prepare(JsonObject app, IReadOnlyList<JsonObject> previousDeploys, int newInstances, int initialInstances, DateTime now)
    {
        var next = (JsonObject)app.DeepClone();
        var labels = (JsonObject)next["labels"]!;
        string colour;
        int port;
        int target;
        if (previousDeploys.Count > 0)
        {
            var last = ZddDeploys.Last(previousDeploys);
            colour = ZddAppJson.Label(last, ZddLabels.Colour) == ZddLabels.Blue ? ZddLabels.Green : ZddLabels.Blue;
            port = NextPort(last, app);
            target = ZddAppJson.Instances(last);
            newInstances = Math.Min(newInstances, target);
            next["instances"] = newInstances > 0 ? Math.Min(initialInstances, newInstances) : Math.Min(initialInstances, target);
            labels[ZddLabels.NewInstances] = newInstances.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            colour = ZddLabels.Blue;
            port = ZddServicePorts.Get(app)!.Value;
            target = ZddAppJson.Instances(app);
            labels[ZddLabels.NewInstances] = "0";
        }

        var id = ZddAppJson.Id(app)!;
        labels[ZddLabels.AppId] = id;
        next["id"] = (id.StartsWith('/') ? "" : "/") + id + "-" + colour;
        labels[ZddLabels.Port0] = ZddServicePorts.Get(app)!.Value.ToString(CultureInfo.InvariantCulture);
        ZddServicePorts.Set(next, port);
        labels[ZddLabels.TargetInstances] = target.ToString(CultureInfo.InvariantCulture);
        labels[ZddLabels.Colour] = colour;
        labels[ZddLabels.StartedAt] = StartedAt(now);
        return next;
    }

    /// <summary>Python's isoformat with microseconds: <c>2016-02-01T14:13:42.499089</c>.</summary>
    public static string StartedAt(DateTime now) => now.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>
    /// The Marathon service port of the new colour: the alt port, or back to the original when the newest deploy is on
    /// the alt port. zdd.py looked only at the legacy <c>ports</c> field, which Marathon ≥ 1.5 (and Harrier) no longer
    /// return, so its second deploy asked for the alt port again; this reads the deploy's actual service port.
    /// </summary>
    private static int NextPort(JsonObject last, JsonObject app)
    {
        var alt = AltPort(last) ?? AltPort(app)!.Value;
        if (ZddServicePorts.Get(last) != alt)
        {
            return alt;
        }
        return ZddAppJson.Label(last, ZddLabels.Port0) is { } original && int.TryParse(original, NumberStyles.None, CultureInfo.InvariantCulture, out var back) && back is > 0 and <= 65535
            ? back
            : ZddServicePorts.Get(app)!.Value;
    }

    private static int? AltPort(JsonObject app) =>
        int.TryParse(ZddAppJson.Label(app, ZddLabels.AltPort)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? port : null;
}
