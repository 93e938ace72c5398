using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>A valid, normalized app definition.</summary>
public sealed record AppReadOk(AppSpec App) : AppReadResult;
