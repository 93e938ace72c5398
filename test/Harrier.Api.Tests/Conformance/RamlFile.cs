using YamlDotNet.RepresentationModel;

namespace Harrier.Api.Tests.Conformance;

/// <summary>One RAML library: its <c>uses</c> aliases (alias → file name) and its <c>types</c>.</summary>
internal sealed class RamlFile
{
    public RamlFile(string name, YamlMappingNode root)
    {
        Name = name;
        if (root.Children.TryGetValue(new YamlScalarNode("uses"), out var uses) && uses is YamlMappingNode u)
        {
            foreach (var (alias, file) in u.Children)
            {
                Uses[((YamlScalarNode)alias).Value!] = Path.GetFileName(((YamlScalarNode)file).Value!);
            }
        }
        if (root.Children.TryGetValue(new YamlScalarNode("types"), out var types) && types is YamlMappingNode t)
        {
            foreach (var (type, declaration) in t.Children)
            {
                Types[((YamlScalarNode)type).Value!] = declaration;
            }
        }
    }

    public string Name { get; }

    public Dictionary<string, string> Uses { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, YamlNode> Types { get; } = new(StringComparer.Ordinal);
}
