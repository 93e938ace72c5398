using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Security;

/// <summary>The request's <see cref="Principal"/>, set by <see cref="AuthMiddleware"/> before any endpoint runs.</summary>
internal static class PrincipalAccess
{
    /// <summary>Fails closed: an endpoint reached without the middleware having run sees an exception, never access.</summary>
    public static Principal Principal(this HttpContext context) =>
        context.Features.Get<Principal>() ?? throw new InvalidOperationException("no principal: AuthMiddleware did not run");

    public const string NotAuthorized = "Not Authorized to perform this action!";

    /// <summary>Marathon's 403 for an action the principal may not take.</summary>
    public static Task ForbidAsync(this HttpContext context) => Harrier.Api.Http.JsonResponse.MessageAsync(context, 403, NotAuthorized);
}
