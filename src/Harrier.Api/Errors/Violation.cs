namespace Harrier.Api.Errors;

/// <summary>
/// One failed rule: a Marathon-style path (<c>/container/portMappings(0)/hostPort</c>, root <c>/</c>) and its message.
/// </summary>
public sealed record Violation(string Path, string Message);
