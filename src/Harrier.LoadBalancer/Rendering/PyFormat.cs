using System.Text;

namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// The part of Python's <c>str.format</c> marathon-lb's templates use: <c>{name}</c> replaced by the named value,
/// <c>{{</c> and <c>}}</c> for literal braces. Any other field syntax, an unknown name or a lone brace is a
/// <see cref="TemplateFormatException"/> (Python raised too, and marathon-lb died).
/// </summary>
internal static class PyFormat
{
    public static string Format(string template, IReadOnlyDictionary<string, string> values)
    {
        if (!template.Contains('{') && !template.Contains('}'))
        {
            return template;
        }
        var sb = new StringBuilder(template.Length + 64);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{')
            {
                if (i + 1 < template.Length && template[i + 1] == '{')
                {
                    sb.Append('{');
                    i++;
                    continue;
                }
                var end = template.IndexOf('}', i + 1);
                if (end < 0)
                {
                    throw new TemplateFormatException("a '{' is not closed");
                }
                var name = template[(i + 1)..end];
                if (!values.TryGetValue(name, out var value))
                {
                    throw new TemplateFormatException($"unknown placeholder {{{Shorten(name)}}}");
                }
                sb.Append(value);
                i = end;
            }
            else if (c == '}')
            {
                if (i + 1 < template.Length && template[i + 1] == '}')
                {
                    sb.Append('}');
                    i++;
                    continue;
                }
                throw new TemplateFormatException("a single '}' in the template");
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static string Shorten(string name) => name.Length > 40 ? name[..40] + "…" : name;
}
