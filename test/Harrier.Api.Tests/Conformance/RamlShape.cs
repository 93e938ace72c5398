using System.Text.RegularExpressions;

namespace Harrier.Api.Tests.Conformance;

/// <summary>
/// A RAML 1.0 data type with its inheritance flattened: a scalar (<c>string</c>, <c>integer</c>, <c>datetime</c>, …
/// with enum, pattern and range facets), an object (its own and inherited properties, pattern properties), an array,
/// or a union. Property and item types stay <see cref="RamlRef"/>s, resolved when a value reaches them, so recursive
/// types (a group's groups) need no cycle handling.
/// </summary>
internal sealed record RamlShape
{
    public required string Kind { get; init; }

    public string? Scalar { get; init; }

    public IReadOnlyList<string>? Enum { get; init; }

    public Regex? Pattern { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    public IReadOnlyDictionary<string, RamlProperty> Properties { get; init; } = new Dictionary<string, RamlProperty>();

    public IReadOnlyList<(Regex Pattern, RamlRef Type)> PatternProperties { get; init; } = [];

    /// <summary>An object declared without properties (<c>type: object</c>): any members.</summary>
    public bool OpenObject { get; init; }

    public RamlRef? Items { get; init; }

    public IReadOnlyList<RamlRef> Alternatives { get; init; } = [];

    public static RamlShape Builtin(string name) => new()
    {
        Kind = name is "object" or "array" ? name : "scalar",
        Scalar = name,
        OpenObject = name == "object",
    };
}

/// <summary>One object property: its type and whether a Marathon-shaped answer must carry it.</summary>
internal sealed record RamlProperty(RamlRef Type, bool Required);

/// <summary>A type declaration (a type expression string or a declaration mapping) and the file it is read in.</summary>
internal sealed record RamlRef(object Declaration, RamlFile File);
