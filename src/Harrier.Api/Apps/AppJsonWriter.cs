using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>
/// Writes an app definition as Marathon 1.11 does (<c>AppConversion.appWriter</c> and the generated Jackson
/// serializer): absent options are omitted, <c>omitEmpty</c> collections are left out when empty, and
/// <c>ports</c>, <c>uris</c> and <c>ipAddress</c> are never written. Doubles keep Jackson's form (<c>128.0</c>).
/// </summary>
public static class AppJsonWriter
{
    /// <summary>The app's properties only, so callers can append AppInfo fields before closing the object.</summary>
    public static void WriteFields(Utf8JsonWriter writer, AppSpec app)
    {
        var w = writer;
        w.WriteString("id", app.Id.Value);
        if (app.AcceptedResourceRoles is { } roles)
        {
            JsonParts.StringArray(w, "acceptedResourceRoles", roles);
        }
        if (!app.Args.IsEmpty)
        {
            JsonParts.StringArray(w, "args", app.Args);
        }
        JsonParts.Double(w, "backoffFactor", app.BackoffFactor);
        w.WriteNumber("backoffSeconds", app.BackoffSeconds);
        if (app.Cmd is not null)
        {
            w.WriteString("cmd", app.Cmd);
        }
        if (!app.Constraints.IsEmpty)
        {
            WriteConstraints(w, app.Constraints);
        }
        if (app.Container is { } container)
        {
            w.WritePropertyName("container");
            ContainerJsonWriter.Write(w, container, app.IsHostNetworking);
        }
        JsonParts.Double(w, "cpus", app.Cpus);
        if (!app.Dependencies.IsEmpty)
        {
            JsonParts.StringArray(w, "dependencies", app.Dependencies.Select(d => d.Value));
        }
        JsonParts.Double(w, "disk", app.Disk);
        if (!app.Env.IsEmpty)
        {
            w.WriteStartObject("env");
            foreach (var (key, value) in app.Env)
            {
                if (value.Secret is { } secret)
                {
                    w.WriteStartObject(key);
                    w.WriteString("secret", secret);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString(key, value.Value ?? "");
                }
            }
            w.WriteEndObject();
        }
        w.WriteString("executor", app.Executor);
        if (app.ExecutorResources is { } er)
        {
            w.WriteStartObject("executorResources");
            JsonParts.Double(w, "cpus", er.Cpus);
            JsonParts.Double(w, "mem", er.Mem);
            JsonParts.Double(w, "disk", er.Disk);
            w.WriteEndObject();
        }
        if (!app.Fetch.IsEmpty)
        {
            w.WriteStartArray("fetch");
            foreach (var f in app.Fetch)
            {
                w.WriteStartObject();
                w.WriteString("uri", f.Uri);
                w.WriteBoolean("extract", f.Extract);
                w.WriteBoolean("executable", f.Executable);
                w.WriteBoolean("cache", f.Cache);
                if (f.DestPath is not null)
                {
                    w.WriteString("destPath", f.DestPath);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (!app.HealthChecks.IsEmpty)
        {
            w.WriteStartArray("healthChecks");
            foreach (var h in app.HealthChecks)
            {
                CheckJsonWriter.WriteHealthCheck(w, h);
            }
            w.WriteEndArray();
        }
        if (app.Check is { } check)
        {
            w.WritePropertyName("check");
            CheckJsonWriter.WriteCheck(w, check);
        }
        w.WriteNumber("instances", app.Instances);
        JsonParts.StringMap(w, "labels", app.Labels);
        w.WriteNumber("maxLaunchDelaySeconds", app.MaxLaunchDelaySeconds);
        JsonParts.Double(w, "mem", app.Mem);
        w.WriteNumber("gpus", app.Gpus);
        NetworkJsonWriter.WriteNetworks(w, app.Networks);
        if (app.IsHostNetworking)
        {
            NetworkJsonWriter.WritePortDefinitions(w, app.PortDefinitions);
        }
        if (!app.ReadinessChecks.IsEmpty)
        {
            w.WriteStartArray("readinessChecks");
            foreach (var rc in app.ReadinessChecks)
            {
                CheckJsonWriter.WriteReadinessCheck(w, rc);
            }
            w.WriteEndArray();
        }
        if (app.Residency is { } residency)
        {
            w.WriteStartObject("residency");
            w.WriteNumber("relaunchEscalationTimeoutSeconds", residency.RelaunchEscalationTimeoutSeconds);
            w.WriteString("taskLostBehavior", residency.TaskLostBehavior);
            w.WriteEndObject();
        }
        if (app.ResourceLimits is { } limits)
        {
            w.WriteStartObject("resourceLimits");
            JsonParts.Limit(w, "cpus", limits.Cpus);
            JsonParts.Limit(w, "mem", limits.Mem);
            w.WriteEndObject();
        }
        w.WriteBoolean("requirePorts", app.RequirePorts);
        if (!app.Secrets.IsEmpty)
        {
            w.WriteStartObject("secrets");
            foreach (var (name, source) in app.Secrets)
            {
                w.WriteStartObject(name);
                w.WriteString("source", source);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        if (app.TaskKillGracePeriodSeconds is { } grace)
        {
            w.WriteNumber("taskKillGracePeriodSeconds", grace);
        }
        w.WriteStartObject("upgradeStrategy");
        JsonParts.Double(w, "maximumOverCapacity", app.UpgradeStrategy.MaximumOverCapacity);
        JsonParts.Double(w, "minimumHealthCapacity", app.UpgradeStrategy.MinimumHealthCapacity);
        w.WriteEndObject();
        if (app.User is not null)
        {
            w.WriteString("user", app.User);
        }
        if (app.VersionInfo.IsStored)
        {
            w.WriteString("version", app.VersionInfo.Version.ToString());
            w.WriteStartObject("versionInfo");
            w.WriteString("lastScalingAt", app.VersionInfo.LastScalingAt.ToString());
            w.WriteString("lastConfigChangeAt", app.VersionInfo.LastConfigChangeAt.ToString());
            w.WriteEndObject();
        }
        w.WriteString("killSelection", app.KillSelection == KillSelection.OldestFirst ? "OLDEST_FIRST" : "YOUNGEST_FIRST");
        if (app.UnreachableStrategy.Disabled)
        {
            w.WriteString("unreachableStrategy", "disabled");
        }
        else
        {
            w.WriteStartObject("unreachableStrategy");
            w.WriteNumber("inactiveAfterSeconds", app.UnreachableStrategy.InactiveAfterSeconds);
            w.WriteNumber("expungeAfterSeconds", app.UnreachableStrategy.ExpungeAfterSeconds);
            w.WriteEndObject();
        }
        if (app.Tty is { } tty)
        {
            w.WriteBoolean("tty", tty);
        }
        w.WriteString("role", app.Role);
    }

    public static void Write(Utf8JsonWriter writer, AppSpec app)
    {
        writer.WriteStartObject();
        WriteFields(writer, app);
        writer.WriteEndObject();
    }

    public static JsonObject ToJson(AppSpec app)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, app);
        }
        return JsonNode.Parse(stream.ToArray())!.AsObject();
    }

    /// <summary>A double as Jackson writes it: integral values keep a <c>.0</c>.</summary>
    internal static string FormatDouble(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary><c>"constraints":[[field, OPERATOR, value?], …]</c>, for apps and persistent volumes alike.</summary>
    internal static void WriteConstraints(Utf8JsonWriter w, IEnumerable<ConstraintSpec> constraints)
    {
        w.WriteStartArray("constraints");
        foreach (var c in constraints)
        {
            w.WriteStartArray();
            w.WriteStringValue(c.Field);
            w.WriteStringValue(c.Operator);
            if (c.Value is not null)
            {
                w.WriteStringValue(c.Value);
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
