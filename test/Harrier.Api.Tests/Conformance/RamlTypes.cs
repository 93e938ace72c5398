using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Harrier.Api.Tests.Conformance;

/// <summary>
/// Marathon's RAML data types (<c>shared/marathon-examples/types/*.raml</c>) plus test-side libraries that use them,
/// resolved into <see cref="RamlShape"/>s. Only what the type files use is understood: <c>uses</c> aliases, named and
/// qualified references, <c>T[]</c>, <c>A | B</c>, <c>T?</c>, inheritance (<c>type: Base</c> or <c>[A, B]</c>),
/// <c>properties</c> (a name ending in <c>?</c>, <c>required: false</c>, a <c>default</c> or
/// <c>(pragma.forceOptional)</c> make one optional; <c>/regex/</c> names are pattern properties), <c>items</c>,
/// <c>enum</c>, <c>pattern</c>, <c>minimum</c>, <c>maximum</c>.
/// </summary>
internal sealed class RamlTypes
{
    private static readonly HashSet<string> Builtins = ["string", "number", "integer", "boolean", "datetime", "datetime-only", "date-only", "time-only", "nil", "any", "object", "array", "file"];
    private readonly Dictionary<string, RamlFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<(string File, string Type), RamlShape> _named = [];

    public void Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }
        var file = new RamlFile(Path.GetFileName(path), (YamlMappingNode)yaml.Documents[0].RootNode);
        _files[file.Name] = file;
    }

    public void LoadFolder(string folder)
    {
        foreach (var path in Directory.EnumerateFiles(folder, "*.raml"))
        {
            Load(path);
        }
    }

    /// <summary>The type <paramref name="expression"/> (e.g. <c>app.AppInfo</c>, <c>task.Task[]</c>) as read in <paramref name="file"/>.</summary>
    public RamlRef Ref(string file, string expression) => new(expression, _files[file]);

    public RamlShape Shape(RamlRef reference) => reference.Declaration switch
    {
        string expression => FromExpression(expression.Trim(), reference.File),
        YamlScalarNode scalar => FromExpression((scalar.Value ?? "string").Trim(), reference.File),
        YamlMappingNode mapping => FromDeclaration(mapping, reference.File),
        YamlSequenceNode sequence => Merge([.. sequence.Children.Select(c => Shape(new RamlRef(c, reference.File)))]),
        _ => throw new InvalidOperationException($"unknown RAML declaration in {reference.File.Name}: {reference.Declaration}"),
    };

    private RamlShape FromExpression(string e, RamlFile file)
    {
        var alternatives = SplitTopLevel(e, '|');
        if (alternatives.Count > 1)
        {
            return new RamlShape { Kind = "union", Alternatives = [.. alternatives.Select(a => new RamlRef(a, file))] };
        }
        if (e.StartsWith('(') && e.EndsWith(')'))
        {
            return FromExpression(e[1..^1].Trim(), file);
        }
        if (e.EndsWith("[]", StringComparison.Ordinal))
        {
            return new RamlShape { Kind = "array", Items = new RamlRef(e[..^2], file) };
        }
        if (e.EndsWith('?'))
        {
            return new RamlShape { Kind = "union", Alternatives = [new RamlRef(e[..^1], file), new RamlRef("nil", file)] };
        }
        if (Builtins.Contains(e))
        {
            return RamlShape.Builtin(e);
        }
        var (target, name) = e.Split('.') is [var alias, var type] ? (_files[file.Uses[alias]], type) : (file, e);
        if (!_named.TryGetValue((target.Name, name), out var shape))
        {
            if (!target.Types.TryGetValue(name, out var declaration))
            {
                throw new InvalidOperationException($"RAML type {e} not found in {target.Name}");
            }
            shape = Shape(new RamlRef(declaration, target));
            _named[(target.Name, name)] = shape;
        }
        return shape;
    }

    private RamlShape FromDeclaration(YamlMappingNode d, RamlFile file)
    {
        var properties = Child(d, "properties") as YamlMappingNode;
        var items = Child(d, "items");
        RamlShape shape = Child(d, "type") is { } type
            ? Shape(new RamlRef(type, file))
            : RamlShape.Builtin(properties is not null ? "object" : items is not null ? "array" : "string");
        if (properties is not null)
        {
            var own = new Dictionary<string, RamlProperty>(shape.Properties, StringComparer.Ordinal);
            var patterns = new List<(Regex, RamlRef)>(shape.PatternProperties);
            foreach (var (key, value) in properties.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                if (name.Length > 1 && name.StartsWith('/') && name.EndsWith('/'))
                {
                    patterns.Add((new Regex(name[1..^1], RegexOptions.CultureInvariant), new RamlRef(value, file)));
                    continue;
                }
                var optional = name.EndsWith('?');
                if (value is YamlMappingNode facets)
                {
                    optional |= Scalar(facets, "required") == "false" || Child(facets, "default") is not null
                        || facets.Children.ContainsKey(new YamlScalarNode("(pragma.forceOptional)"));
                }
                own[optional && name.EndsWith('?') ? name[..^1] : name] = new RamlProperty(new RamlRef(value, file), !optional);
            }
            shape = shape with { Kind = "object", Properties = own, PatternProperties = patterns, OpenObject = false };
        }
        if (items is not null)
        {
            shape = shape with { Kind = "array", Items = new RamlRef(items, file) };
        }
        if (Child(d, "enum") is YamlSequenceNode values)
        {
            shape = shape with { Enum = [.. values.Children.Select(v => ((YamlScalarNode)v).Value!)] };
        }
        if (Scalar(d, "pattern") is { } pattern)
        {
            shape = shape with { Pattern = new Regex(pattern, RegexOptions.CultureInvariant) };
        }
        if (Scalar(d, "minimum") is { } min)
        {
            shape = shape with { Minimum = double.Parse(min, CultureInfo.InvariantCulture) };
        }
        if (Scalar(d, "maximum") is { } max)
        {
            shape = shape with { Maximum = double.Parse(max, CultureInfo.InvariantCulture) };
        }
        return shape;
    }

    /// <summary><c>type: [A, B]</c>: an object with the properties of all.</summary>
    private static RamlShape Merge(IReadOnlyList<RamlShape> shapes)
    {
        var properties = new Dictionary<string, RamlProperty>(StringComparer.Ordinal);
        foreach (var shape in shapes)
        {
            foreach (var (name, property) in shape.Properties)
            {
                properties[name] = property;
            }
        }
        return new RamlShape { Kind = "object", Properties = properties, PatternProperties = [.. shapes.SelectMany(s => s.PatternProperties)] };
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => Child(node, key) is YamlScalarNode s ? s.Value : null;

    private static List<string> SplitTopLevel(string e, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < e.Length; i++)
        {
            depth += e[i] == '(' ? 1 : e[i] == ')' ? -1 : 0;
            if (e[i] == separator && depth == 0)
            {
                parts.Add(e[start..i].Trim());
                start = i + 1;
            }
        }
        parts.Add(e[start..].Trim());
        return parts;
    }
}
