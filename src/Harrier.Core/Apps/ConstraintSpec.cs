namespace Harrier.Core.Apps;

/// <summary>A placement constraint <c>[field, OPERATOR, value?]</c>; the operator is stored upper-case.</summary>
public sealed record ConstraintSpec(string Field, string Operator, string? Value = null);
