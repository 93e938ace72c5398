using System.Text.Json;
using Harrier.Api.Errors;
using Harrier.Core.Apps;
using Harrier.Core.Ids;

namespace Harrier.Api.Apps;

/// <summary>
/// Reads Marathon app bodies into <see cref="AppSpec"/>s, running Marathon's pipeline (§4 of the API spec): the RAML
/// read (422 "Invalid JSON"), the deprecated-API rules, normalization, canonical validation (422 "Object is not
/// valid") and the post-validation defaults. Never throws: every input yields a result.
/// </summary>
public static class AppDefinitionReader
{
    /// <summary>
    /// A full app body (POST /v2/apps, PUT with partialUpdate=false, each created element of PUT /v2/apps).
    /// A non-null <paramref name="pathId"/> overrides the body id; otherwise the body must carry one.
    /// </summary>
    public static AppReadResult ReadApp(JsonElement body, PathId? pathId, AppReadContext context)
    {
        try
        {
            return Read(body, pathId, context);
        }
        catch (NormalizationFailure e)
        {
            return new AppReadFailed(ApiError.Unprocessable(e.Message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The contract is to never throw: a defect in a rule must not turn a bad body into a 500.
            return new AppReadFailed(ApiError.Unprocessable("Invalid app definition: " + e.Message));
        }
    }

    /// <summary>
    /// A partial update (PATCH, or PUT with the default partialUpdate=true). Top-level fields in the body replace the
    /// stored ones whole; absent fields are kept. A body of only <c>version</c> (and <c>id</c>) is a rollback.
    /// With no <paramref name="existing"/> app this is a create, read like <see cref="ReadApp"/>.
    /// The result keeps <c>existing.VersionInfo</c>.
    /// </summary>
    public static AppReadResult ReadUpdate(JsonElement body, PathId pathId, AppSpec? existing, AppReadContext context)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new AppReadFailed(ApiError.JsonTypeErrors([new Violation("/", "error.expected.jsobject")]));
        }
        if (RamlReader.TryGet(body, "version", out var version))
        {
            var others = body.EnumerateObject().Any(p => p.Name is not ("version" or "id") && p.Value.ValueKind != JsonValueKind.Null);
            if (others)
            {
                return new AppReadFailed(ApiError.ValidationFailed([new Violation("/", "The 'version' field may only be combined with the 'id' field.")]));
            }
            if (version.ValueKind != JsonValueKind.String || !Core.Time.Timestamp.TryParse(version.GetString() ?? "", out var ts))
            {
                return new AppReadFailed(ApiError.JsonTypeErrors([new Violation("/version", "error.expected.date.isoformat")]));
            }
            return new AppReadRollback(pathId, ts);
        }
        if (existing is null)
        {
            return ReadApp(body, pathId, context);
        }
        var merged = AppUpdateMerger.Merge(AppJsonWriter.ToJson(existing), body);
        using var doc = JsonDocument.Parse(merged.ToJsonString());
        return ReadApp(doc.RootElement, pathId, context) switch
        {
            AppReadOk ok => new AppReadOk(ok.App with { VersionInfo = existing.VersionInfo }),
            var other => other,
        };
    }

    private static AppReadResult Read(JsonElement body, PathId? pathId, AppReadContext context)
    {
        var reader = new RamlReader();
        if (!reader.RequireObject(body, "/"))
        {
            return new AppReadFailed(ApiError.JsonTypeErrors(reader.Errors));
        }
        var raml = AppRamlReader.Read(body, reader, idRequired: pathId is null);
        if (reader.HasErrors)
        {
            return new AppReadFailed(ApiError.JsonTypeErrors(reader.Errors));
        }
        var rawId = pathId?.Value ?? raml.Id ?? "";
        raml = raml with { Id = rawId };
        var deprecated = DeprecatedFieldsValidator.Validate(raml).ToList();
        if (deprecated.Count > 0)
        {
            return new AppReadFailed(ApiError.ValidationFailed(deprecated));
        }
        var canonical = AppNormalizer.Normalize(raml, context);
        var violations = AppValidator.Validate(canonical, rawId, context).ToList();
        if (violations.Count > 0)
        {
            return new AppReadFailed(ApiError.ValidationFailed(violations));
        }
        var id = pathId ?? PathId.Parse(rawId, context.BaseId);
        return new AppReadOk(AppSpecMapper.ToSpec(canonical, id, context));
    }
}
