using Harrier.Core.Apps;
using Harrier.Core.Ids;

namespace Harrier.Server.Commands;

/// <summary>What the caller expects about the app's existence (POST: must not exist; PATCH: must exist).</summary>
public enum AppExpectation
{
    Any,
    MustNotExist,
    MustExist,
}

/// <summary>
/// One app change inside a deployment: put a new definition (<see cref="Spec"/>), delete (<see cref="Delete"/>),
/// restart, or kill-and-scale (<see cref="Sentenced"/> with a lower instance count in <see cref="Spec"/>).
/// </summary>
public sealed record AppChange(PathId Id, AppSpec? Spec, bool Delete = false, bool Restart = false, AppExpectation Expect = AppExpectation.Any, IReadOnlyList<InstanceId>? Sentenced = null);
