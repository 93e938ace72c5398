using System.Text.Json;
using System.Text.Json.Nodes;
using Harrier.Api.Apps;
using Harrier.Api.Errors;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Harrier.Server.Commands;

namespace Harrier.Api.Groups;

/// <summary>
/// Reads a <c>GroupUpdate</c> body (§2.2, §12.2): the body's <c>id</c> resolves against the URL's group, nested group
/// and app ids and dependencies against their enclosing group. Each app is read by <see cref="AppDefinitionReader"/>
/// as a full definition, its error paths prefixed with where it sits (<c>/groups(0)/apps(1)/cmd</c>). The default role
/// of an app follows its top-level group's <c>enforceRole</c> (§12.3). Never throws.
/// </summary>
internal static class GroupBodyReader
{
    public static GroupBodyRead Read(JsonElement body, PathId urlId, AppReadContext context, IReadOnlyDictionary<PathId, GroupNode> groups, IReadOnlyDictionary<PathId, Core.Apps.AppSpec> apps, bool newGroupEnforceRole)
    {
        try
        {
            var reader = new RamlReader();
            if (!reader.RequireObject(body, "/"))
            {
                return GroupBodyRead.Failed(ApiError.JsonTypeErrors(reader.Errors));
            }
            var rawId = reader.String(body, "id", "/");
            var scaleBy = ScaleBy(body, reader);
            Timestamp? version = null;
            if (RamlReader.TryGet(body, "version", out var v))
            {
                if (v.ValueKind != JsonValueKind.String || !Timestamp.TryParse(v.GetString() ?? "", out var ts))
                {
                    reader.Fail("/version", "error.expected.date.isoformat");
                }
                else
                {
                    version = ts;
                }
            }
            if (reader.HasErrors)
            {
                return GroupBodyRead.Failed(ApiError.JsonTypeErrors(reader.Errors));
            }
            var id = rawId is null ? urlId : PathId.Parse(rawId, urlId);
            if (version is not null || scaleBy is not null)
            {
                var others = body.EnumerateObject().Where(p => p.Name is not ("id" or "version" or "scaleBy") && p.Value.ValueKind != JsonValueKind.Null).Select(p => p.Name).ToList();
                if (others.Count > 0)
                {
                    var field = version is not null ? "version" : "scaleBy";
                    return GroupBodyRead.Failed(ApiError.ValidationFailed([new Violation("/" + field, "not allowed in conjunction with other properties.")]));
                }
                // Marathon: with both, only the rollback happens.
                return new GroupBodyRead(new GroupUpdate(id), version is null ? scaleBy : null, version, null);
            }
            var state = new ReadState(context, groups, apps, newGroupEnforceRole);
            var update = ReadGroup(body, id, "", state);
            return state.Error is { } error ? GroupBodyRead.Failed(error) : new GroupBodyRead(update, null, null, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return GroupBodyRead.Failed(ApiError.Unprocessable("Invalid group definition: " + e.Message));
        }
    }

    private static double? ScaleBy(JsonElement body, RamlReader reader)
    {
        if (!RamlReader.TryGet(body, "scaleBy", out var s))
        {
            return null;
        }
        if (s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out var factor) || !double.IsFinite(factor))
        {
            reader.Fail("/scaleBy", "error.expected.jsnumber");
            return null;
        }
        if (factor < 0)
        {
            reader.Fail("/scaleBy", "error.min");
            return null;
        }
        return factor;
    }

    private static GroupUpdate ReadGroup(JsonElement element, PathId id, string path, ReadState state)
    {
        var reader = new RamlReader();
        var raw = element;
        var update = new GroupUpdate(id);
        if (!IdValidatorPasses(id, path, state))
        {
            return update;
        }
        if (RamlReader.TryGet(raw, "enforceRole", out var enforce))
        {
            if (enforce.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                state.Fail(ApiError.JsonTypeErrors([new Violation(Path(path, "/enforceRole"), "error.expected.jsboolean")]));
                return update;
            }
            if (id.IsRoot || !id.Parent.IsRoot)
            {
                state.Fail(ApiError.ValidationFailed([new Violation(Path(path, "/enforceRole"), $"enforceRole can only be set for top-level groups, and {id} is not top-level")]));
                return update;
            }
            update = update with { EnforceRole = enforce.GetBoolean() };
            state.BodyEnforceRole[id] = enforce.GetBoolean();
        }
        var dependencies = reader.StringArray(raw, "dependencies", "/");
        if (reader.HasErrors)
        {
            state.Fail(ApiError.JsonTypeErrors(reader.Errors.Select(e => e with { Path = Path(path, e.Path) })));
            return update;
        }
        if (dependencies is not null)
        {
            update = update with { Dependencies = [.. dependencies.Select(d => PathId.Parse(d, id)).Distinct()] };
        }
        if (RamlReader.TryGet(raw, "apps", out var apps))
        {
            if (apps.ValueKind != JsonValueKind.Array)
            {
                state.Fail(ApiError.JsonTypeErrors([new Violation(Path(path, "/apps"), "error.expected.jsarray")]));
                return update;
            }
            var list = new List<Core.Apps.AppSpec>();
            var index = 0;
            foreach (var app in apps.EnumerateArray())
            {
                var appPath = $"{path}/apps({index++})";
                var spec = ReadApp(app, id, appPath, state);
                if (spec is null)
                {
                    return update;
                }
                list.Add(spec);
            }
            update = update with { Apps = list };
        }
        if (RamlReader.TryGet(raw, "groups", out var groups))
        {
            if (groups.ValueKind != JsonValueKind.Array)
            {
                state.Fail(ApiError.JsonTypeErrors([new Violation(Path(path, "/groups"), "error.expected.jsarray")]));
                return update;
            }
            var list = new List<GroupUpdate>();
            var index = 0;
            foreach (var group in groups.EnumerateArray())
            {
                var groupPath = $"{path}/groups({index++})";
                if (group.ValueKind != JsonValueKind.Object || !RamlReader.TryGet(group, "id", out var rawChild) || rawChild.ValueKind != JsonValueKind.String)
                {
                    state.Fail(ApiError.JsonTypeErrors([new Violation(groupPath + "/id", group.ValueKind == JsonValueKind.Object ? "error.path.missing" : "error.expected.jsobject")]));
                    return update;
                }
                var childId = PathId.Parse(rawChild.GetString()!, id);
                if (childId.IsRoot || childId.Parent != id)
                {
                    state.Fail(ApiError.ValidationFailed([new Violation(groupPath + "/id", $"identifier {childId} is not child of {id}. Hint: use relative paths.")]));
                    return update;
                }
                list.Add(ReadGroup(group, childId, groupPath, state));
                if (state.Error is not null)
                {
                    return update;
                }
            }
            update = update with { Groups = list };
        }
        return update;
    }

    private static bool IdValidatorPasses(PathId id, string path, ReadState state)
    {
        if (id.IsRoot)
        {
            return true;
        }
        if (!RamlPatterns.PathId().IsMatch(id.Value))
        {
            state.Fail(ApiError.JsonTypeErrors([new Violation(Path(path, "/id"), "error.pattern")]));
            return false;
        }
        return true;
    }

    private static Core.Apps.AppSpec? ReadApp(JsonElement app, PathId group, string appPath, ReadState state)
    {
        var role = state.RoleFor(group, app);
        var context = state.Context with { BaseId = group, DefaultRole = role.Default };
        var read = AppDefinitionReader.ReadApp(app, null, context);
        if (read is not AppReadOk ok)
        {
            var error = read is AppReadFailed failed ? failed.Error : ApiError.Unprocessable("Object is not valid");
            state.Fail(error with { Details = Prefixed(error.Details, appPath) });
            return null;
        }
        if (ok.App.Id.Parent != group)
        {
            state.Fail(ApiError.ValidationFailed([new Violation(appPath + "/id", $"identifier {ok.App.Id} is not child of {group}. Hint: use relative paths.")]));
            return null;
        }
        if (ServiceRoles.Check(ok.App.Role, role.Valid, appPath + "/role") is { } violation)
        {
            state.Fail(ApiError.ValidationFailed([violation]));
            return null;
        }
        return ok.App;
    }

    private static string Path(string prefix, string path) => prefix.Length == 0 ? path : prefix + (path == "/" ? "" : path);

    private static JsonNode? Prefixed(JsonNode? details, string prefix)
    {
        if (details is not JsonArray array)
        {
            return details;
        }
        var copy = new JsonArray();
        foreach (var item in array)
        {
            var entry = (JsonObject)item!.DeepClone();
            entry["path"] = Path(prefix, entry["path"]?.GetValue<string>() ?? "/");
            copy.Add(entry);
        }
        return copy;
    }

    /// <summary>The first error, and the top-level groups' <c>enforceRole</c> as the body sets it.</summary>
    private sealed class ReadState(AppReadContext context, IReadOnlyDictionary<PathId, GroupNode> groups, IReadOnlyDictionary<PathId, Core.Apps.AppSpec> apps, bool newGroupEnforceRole)
    {
        public AppReadContext Context { get; } = context;

        public ApiError? Error { get; private set; }

        public Dictionary<PathId, bool> BodyEnforceRole { get; } = [];

        public void Fail(ApiError error) => Error ??= error;

        /// <summary>§12.3: the default and the valid roles of a service of <paramref name="group"/> (its current role stays valid).</summary>
        public (string Default, IReadOnlySet<string> Valid) RoleFor(PathId group, JsonElement app)
        {
            Core.Apps.AppSpec? current = null;
            if (RamlReader.TryGet(app, "id", out var rawId) && rawId.ValueKind == JsonValueKind.String)
            {
                current = apps.GetValueOrDefault(PathId.Parse(rawId.GetString()!, group));
            }
            var enforce = !group.IsRoot && BodyEnforceRole.TryGetValue(PathId.FromSegments([group.Segments[0]]), out var inBody)
                ? inBody
                : ServiceRoles.Enforced(group, groups, newGroupEnforceRole);
            return ServiceRoles.For(group, Context.DefaultRole, enforce, current);
        }
    }
}
