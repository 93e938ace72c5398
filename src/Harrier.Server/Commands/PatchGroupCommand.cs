using Harrier.Core.Ids;

namespace Harrier.Server.Commands;

/// <summary><c>PATCH /v2/groups/{id}</c>: sets a top-level group's <c>enforceRole</c>, with no deployment.</summary>
public sealed record PatchGroupCommand(PathId GroupId, bool EnforceRole) : ServerCommand;
