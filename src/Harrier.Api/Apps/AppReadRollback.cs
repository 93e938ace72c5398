using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Api.Apps;

/// <summary>An update body holding only <c>version</c> (and optionally <c>id</c>): restore that stored version.</summary>
public sealed record AppReadRollback(PathId Id, Timestamp Version) : AppReadResult;
