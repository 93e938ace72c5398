using Harrier.Core.Time;

namespace Harrier.Server.Balancers;

/// <summary>
/// A task a balancer must take out of rotation and confirm before the server kills it: its id, app, the host and
/// host ports its backends are at, when the kill was decided and when it goes out without the confirmation.
/// </summary>
public sealed record DrainRequest(string TaskId, string AppId, string Host, IReadOnlyList<int> Ports, Timestamp RequestedAt, Timestamp Deadline);
