using Harrier.Core.Collections;

namespace Harrier.Core.Apps;

public sealed record PersistentVolumeSpec(
    string Type,
    long Size,
    long? MaxSize = null,
    string? ProfileName = null,
    ValueList<ConstraintSpec> Constraints = default);
