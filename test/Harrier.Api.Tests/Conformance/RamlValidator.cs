using System.Text.Json;
using System.Text.RegularExpressions;

namespace Harrier.Api.Tests.Conformance;

/// <summary>
/// Holds a JSON value against a RAML type as strictly as a client that constructs objects from it: no member the type
/// does not define, every required one present, every value of the right JSON type (integers integral, datetimes in
/// ISO 8601, enums and patterns matched). Returns the violations as <c>path: problem</c> lines; none = conformant.
/// </summary>
internal sealed partial class RamlValidator(RamlTypes types, bool nullForOptional = false)
{
    public IReadOnlyList<string> Validate(JsonElement value, RamlRef type)
    {
        var errors = new List<string>();
        Check(value, types.Shape(type), "$", errors);
        return errors;
    }

    private void Check(JsonElement v, RamlShape shape, string path, List<string> errors)
    {
        switch (shape.Kind)
        {
            case "union":
                List<string>? best = null;
                foreach (var alternative in shape.Alternatives)
                {
                    var attempt = new List<string>();
                    Check(v, types.Shape(alternative), path, attempt);
                    if (attempt.Count == 0)
                    {
                        return;
                    }
                    if (best is null || attempt.Count < best.Count)
                    {
                        best = attempt;
                    }
                }
                errors.Add($"{path}: matches none of the union's {shape.Alternatives.Count} alternatives; closest:");
                errors.AddRange(best ?? []);
                return;
            case "object":
                CheckObject(v, shape, path, errors);
                return;
            case "array":
                if (v.ValueKind != JsonValueKind.Array)
                {
                    errors.Add($"{path}: expected an array, got {v.ValueKind}");
                    return;
                }
                if (shape.Items is { } items)
                {
                    var itemShape = types.Shape(items);
                    var i = 0;
                    foreach (var item in v.EnumerateArray())
                    {
                        Check(item, itemShape, $"{path}[{i++}]", errors);
                    }
                }
                return;
            default:
                CheckScalar(v, shape, path, errors);
                return;
        }
    }

    private void CheckObject(JsonElement v, RamlShape shape, string path, List<string> errors)
    {
        if (v.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: expected an object, got {v.ValueKind}");
            return;
        }
        if (shape.OpenObject)
        {
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in v.EnumerateObject())
        {
            seen.Add(member.Name);
            var memberPath = $"{path}.{member.Name}";
            if (shape.Properties.TryGetValue(member.Name, out var property))
            {
                if (member.Value.ValueKind == JsonValueKind.Null && !property.Required && nullForOptional)
                {
                    continue;
                }
                Check(member.Value, types.Shape(property.Type), memberPath, errors);
            }
            else if (shape.PatternProperties.FirstOrDefault(p => p.Pattern.IsMatch(member.Name)) is { Type: { } patternType })
            {
                Check(member.Value, types.Shape(patternType), memberPath, errors);
            }
            else
            {
                errors.Add($"{memberPath}: unknown property (the type defines {string.Join(", ", shape.Properties.Keys.Order(StringComparer.Ordinal))})");
            }
        }
        foreach (var (name, property) in shape.Properties)
        {
            if (property.Required && !seen.Contains(name))
            {
                errors.Add($"{path}.{name}: required property missing");
            }
        }
    }

    private static void CheckScalar(JsonElement v, RamlShape shape, string path, List<string> errors)
    {
        var ok = shape.Scalar switch
        {
            "any" => true,
            "nil" => v.ValueKind == JsonValueKind.Null,
            "boolean" => v.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "number" => v.ValueKind == JsonValueKind.Number,
            "integer" => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _),
            "datetime" => v.ValueKind == JsonValueKind.String && DateTime().IsMatch(v.GetString()!),
            _ => v.ValueKind == JsonValueKind.String,
        };
        if (!ok)
        {
            errors.Add($"{path}: expected {shape.Scalar}, got {v.ValueKind} {v.GetRawText()}");
            return;
        }
        if (v.ValueKind == JsonValueKind.String)
        {
            var s = v.GetString()!;
            if (shape.Enum is { } values && !values.Contains(s, StringComparer.Ordinal))
            {
                errors.Add($"{path}: '{s}' is not one of {string.Join(", ", values)}");
            }
            if (shape.Pattern is { } pattern && !pattern.IsMatch(s))
            {
                errors.Add($"{path}: '{s}' does not match {pattern}");
            }
        }
        if (v.ValueKind == JsonValueKind.Number)
        {
            var n = v.GetDouble();
            if (n < shape.Minimum || n > shape.Maximum)
            {
                errors.Add($"{path}: {n} is outside [{shape.Minimum}, {shape.Maximum}]");
            }
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$")]
    private static partial Regex DateTime();
}
