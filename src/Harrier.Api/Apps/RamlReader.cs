using System.Text.Json;
using System.Text.RegularExpressions;
using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary>
/// Reads JSON the way Marathon's generated RAML readers do (Play JSON): absent and <c>null</c> optional fields take
/// their default, unknown fields are ignored, enums match case-insensitively, and every failure is recorded with its
/// path and Play error key (<c>error.expected.jsnumber</c>, <c>error.min</c>, <c>error.path.missing</c>, ...)
/// instead of stopping at the first one. Never throws.
/// </summary>
internal sealed class RamlReader
{
    private readonly List<Violation> _errors = [];

    public IReadOnlyList<Violation> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public void Fail(string path, string key) => _errors.Add(new Violation(path.Length == 0 ? "/" : path, key));

    public static string Child(string path, string name) => path == "/" ? "/" + name : path + "/" + name;

    public static string Index(string path, int index) => $"{(path == "/" ? "" : path)}({index})";

    /// <summary>The value of a property that is present and not null.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        value = default;
        return false;
    }

    public static bool Has(JsonElement obj, string name) => TryGet(obj, name, out _);

    public bool RequireObject(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }
        Fail(path, "error.expected.jsobject");
        return false;
    }

    public string? String(JsonElement obj, string name, string path, bool required = false, int minLength = 0, int maxLength = int.MaxValue, Regex? pattern = null)
    {
        var p = Child(path, name);
        if (!TryGet(obj, name, out var v))
        {
            MissingIfRequired(obj, name, p, required, "error.expected.jsstring");
            return null;
        }
        return StringValue(v, p, minLength, maxLength, pattern);
    }

    public string? StringValue(JsonElement v, string p, int minLength = 0, int maxLength = int.MaxValue, Regex? pattern = null)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            Fail(p, "error.expected.jsstring");
            return null;
        }
        var s = v.GetString() ?? "";
        if (s.Length < minLength)
        {
            Fail(p, "error.minLength");
            return null;
        }
        if (s.Length > maxLength)
        {
            Fail(p, "error.maxLength");
            return null;
        }
        if (pattern is not null && !pattern.IsMatch(s))
        {
            Fail(p, "error.pattern");
            return null;
        }
        return s;
    }

    public int? Int(JsonElement obj, string name, string path, long min = int.MinValue, long max = int.MaxValue, bool required = false)
    {
        var p = Child(path, name);
        if (!TryGet(obj, name, out var v))
        {
            MissingIfRequired(obj, name, p, required, "error.expected.jsnumber");
            return null;
        }
        return (int?)IntegerValue(v, p, min, max, int.MinValue, int.MaxValue, "error.expected.int");
    }

    public long? Long(JsonElement obj, string name, string path, long min = long.MinValue, bool required = false)
    {
        var p = Child(path, name);
        if (!TryGet(obj, name, out var v))
        {
            MissingIfRequired(obj, name, p, required, "error.expected.jsnumber");
            return null;
        }
        return IntegerValue(v, p, min, long.MaxValue, long.MinValue, long.MaxValue, "error.expected.long");
    }

    public long? IntegerValue(JsonElement v, string p, long min, long max, long typeMin, long typeMax, string rangeKey)
    {
        if (v.ValueKind != JsonValueKind.Number)
        {
            Fail(p, "error.expected.jsnumber");
            return null;
        }
        if (!v.TryGetInt64(out var n) || n < typeMin || n > typeMax)
        {
            // 1.0 is a valid Int for Play (BigDecimal.isValidInt), 1.5 is not.
            if (v.TryGetDecimal(out var d) && decimal.Truncate(d) == d && d >= typeMin && d <= typeMax)
            {
                n = (long)d;
            }
            else
            {
                Fail(p, rangeKey);
                return null;
            }
        }
        if (n < min)
        {
            Fail(p, "error.min");
            return null;
        }
        if (n > max)
        {
            Fail(p, "error.max");
            return null;
        }
        return n;
    }

    public double? Double(JsonElement obj, string name, string path, double min = double.MinValue, double max = double.MaxValue, bool required = false)
    {
        var p = Child(path, name);
        if (!TryGet(obj, name, out var v))
        {
            MissingIfRequired(obj, name, p, required, "error.expected.jsnumber");
            return null;
        }
        return DoubleValue(v, p, min, max);
    }

    public double? DoubleValue(JsonElement v, string p, double min = double.MinValue, double max = double.MaxValue)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
        {
            Fail(p, "error.expected.jsnumber");
            return null;
        }
        if (d < min)
        {
            Fail(p, "error.min");
            return null;
        }
        if (d > max)
        {
            Fail(p, "error.max");
            return null;
        }
        return d;
    }

    public bool? Bool(JsonElement obj, string name, string path)
    {
        var p = Child(path, name);
        if (!TryGet(obj, name, out var v))
        {
            return null;
        }
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetBoolean();
        }
        Fail(p, "error.expected.jsboolean");
        return null;
    }

    /// <summary>An enum value matched case-insensitively against <paramref name="literals"/>; returns the canonical literal.</summary>
    public string? Enum(JsonElement obj, string name, string path, IReadOnlyList<string> literals, bool required = false)
    {
        var p = Child(path, name);
        if (!TryGet(obj, name, out var v))
        {
            MissingIfRequired(obj, name, p, required, "error.expected.jsstring");
            return null;
        }
        return EnumValue(v, p, literals);
    }

    public string? EnumValue(JsonElement v, string p, IReadOnlyList<string> literals)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            Fail(p, "error.expected.jsstring");
            return null;
        }
        var s = v.GetString() ?? "";
        foreach (var literal in literals)
        {
            if (string.Equals(literal, s, StringComparison.OrdinalIgnoreCase))
            {
                return literal;
            }
        }
        Fail(p, "error.unknown.enum.literal");
        return null;
    }

    /// <summary>The elements of an array property (empty when absent or null); null when the property has the wrong type.</summary>
    public List<(JsonElement Value, string Path)>? Array(JsonElement obj, string name, string path, bool required = false)
    {
        var p = Child(path, name);
        if (!TryGet(obj, name, out var v))
        {
            MissingIfRequired(obj, name, p, required, "error.expected.jsarray");
            return null;
        }
        return ArrayValue(v, p);
    }

    public List<(JsonElement Value, string Path)>? ArrayValue(JsonElement v, string p)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            Fail(p, "error.expected.jsarray");
            return null;
        }
        var items = new List<(JsonElement, string)>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            items.Add((item, Index(p, i)));
            i++;
        }
        return items;
    }

    public List<string>? StringArray(JsonElement obj, string name, string path, int minLength = 0, int maxLength = int.MaxValue, Regex? pattern = null)
    {
        var items = Array(obj, name, path);
        if (items is null)
        {
            return null;
        }
        var result = new List<string>();
        foreach (var (value, p) in items)
        {
            if (StringValue(value, p, minLength, maxLength, pattern) is { } s)
            {
                result.Add(s);
            }
        }
        return result;
    }

    /// <summary>The properties of an object property (empty when absent); null when it has the wrong type.</summary>
    public List<(string Key, JsonElement Value, string Path)>? Object(JsonElement obj, string name, string path)
    {
        var p = Child(path, name);
        if (!TryGet(obj, name, out var v))
        {
            return null;
        }
        if (!RequireObject(v, p))
        {
            return null;
        }
        var result = new List<(string, JsonElement, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var prop in v.EnumerateObject())
        {
            // JSON objects with repeated keys: the last one wins, as in Jackson.
            if (!seen.Add(prop.Name))
            {
                result.RemoveAll(e => e.Item1 == prop.Name);
            }
            result.Add((prop.Name, prop.Value, Child(p, prop.Name)));
        }
        return result;
    }

    /// <summary>A <c>KVLabels</c>-style map of strings.</summary>
    public Dictionary<string, string>? StringMap(JsonElement obj, string name, string path)
    {
        var props = Object(obj, name, path);
        if (props is null)
        {
            return null;
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value, p) in props)
        {
            if (StringValue(value, p) is { } s)
            {
                map[key] = s;
            }
        }
        return map;
    }

    private void MissingIfRequired(JsonElement obj, string name, string p, bool required, string typeKey)
    {
        if (!required)
        {
            return;
        }
        // Play: a missing property is error.path.missing; an explicit null fails the type read.
        var isNull = obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Null;
        Fail(p, isNull ? typeKey : "error.path.missing");
    }
}
