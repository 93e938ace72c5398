using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Core.Groups;

/// <summary>An app of a <see cref="RootGroupVersion"/>: its id and the version it had then.</summary>
public sealed record AppVersionRef(PathId Id, Timestamp Version);
