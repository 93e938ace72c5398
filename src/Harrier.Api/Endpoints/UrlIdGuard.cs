using Harrier.Api.Apps;
using Harrier.Api.Errors;
using Harrier.Core.Ids;

namespace Harrier.Api.Endpoints;

/// <summary>
/// An id that comes from the URL (or is parsed outside the reader) is checked as Marathon checks it once injected
/// into the body: the RAML PathId pattern (422 "Invalid JSON", <c>/id</c> <c>error.pattern</c>) and the reserved last
/// segments. Without this, <c>PUT /v2/apps/My_App</c> would create an app with an id the body could never carry.
/// </summary>
internal static class UrlIdGuard
{
    private static readonly string[] Reserved = ["restart", "tasks", "versions"];

    public static ApiError? Check(PathId id)
    {
        if (id.IsRoot || !RamlPatterns.PathId().IsMatch(id.Value))
        {
            return ApiError.JsonTypeErrors([new Violation("/id", "error.pattern")]);
        }
        if (IdLimits.Check(id) is { } tooLong)
        {
            return ApiError.ValidationFailed([tooLong]);
        }
        return Reserved.Contains(id.Name) ? ApiError.ValidationFailed([new Violation("/id", IdValidator.ReservedMessage)]) : null;
    }
}
