using System.Text;

namespace Harrier.Api.Endpoints;

/// <summary>
/// Marathon's label selector (§2.1.1): comma-separated terms, all must match: <c>key</c>, <c>key==v</c>,
/// <c>key!=v</c> (the key must exist), <c>key in (a,b)</c>, <c>key notin (a,b)</c>. Characters outside
/// <c>[-A-Za-z0-9_.]</c> must be escaped with <c>\</c>.
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _terms = [];

    private LabelSelector()
    {
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _terms.All(t => t(labels));

    /// <summary>Parses the selector; null and an error message when it cannot be parsed.</summary>
    public static (LabelSelector? Selector, string? Error) Parse(string text)
    {
        var selector = new LabelSelector();
        var tokens = Tokenize(text);
        if (tokens is null)
        {
            return (null, $"Can not parse label selector {text}");
        }
        var i = 0;
        while (i < tokens.Count)
        {
            if (tokens[i].Kind != 'w')
            {
                return (null, $"Can not parse label selector {text}");
            }
            var key = tokens[i++].Text;
            if (i == tokens.Count || tokens[i].Kind == ',')
            {
                selector._terms.Add(l => l.ContainsKey(key));
            }
            else if (tokens[i].Kind is '=' or '!')
            {
                var negate = tokens[i++].Kind == '!';
                if (i == tokens.Count || tokens[i].Kind != 'w')
                {
                    return (null, $"Can not parse label selector {text}");
                }
                var value = tokens[i++].Text;
                selector._terms.Add(negate
                    ? l => l.TryGetValue(key, out var v) && v != value
                    : l => l.TryGetValue(key, out var v) && v == value);
            }
            else if (tokens[i].Kind == 'w' && tokens[i].Text is "in" or "notin")
            {
                var notIn = tokens[i++].Text == "notin";
                if (i == tokens.Count || tokens[i++].Kind != '(')
                {
                    return (null, $"Can not parse label selector {text}");
                }
                var set = new HashSet<string>();
                while (i < tokens.Count && tokens[i].Kind != ')')
                {
                    if (tokens[i].Kind == 'w')
                    {
                        set.Add(tokens[i].Text);
                    }
                    else if (tokens[i].Kind != ',')
                    {
                        return (null, $"Can not parse label selector {text}");
                    }
                    i++;
                }
                if (i == tokens.Count)
                {
                    return (null, $"Can not parse label selector {text}");
                }
                i++;
                selector._terms.Add(notIn
                    ? l => !l.TryGetValue(key, out var v) || !set.Contains(v)
                    : l => l.TryGetValue(key, out var v) && set.Contains(v));
            }
            else
            {
                return (null, $"Can not parse label selector {text}");
            }
            if (i < tokens.Count)
            {
                if (tokens[i].Kind != ',')
                {
                    return (null, $"Can not parse label selector {text}");
                }
                i++;
            }
        }
        return (selector, null);
    }

    private static List<(char Kind, string Text)>? Tokenize(string text)
    {
        var tokens = new List<(char, string)>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == ' ')
            {
                i++;
            }
            else if (c is ',' or '(' or ')')
            {
                tokens.Add((c, c.ToString()));
                i++;
            }
            else if (c == '=' && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add(('=', "=="));
                i += 2;
            }
            else if (c == '!' && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add(('!', "!="));
                i += 2;
            }
            else
            {
                var word = new StringBuilder();
                while (i < text.Length)
                {
                    var ch = text[i];
                    if (ch == '\\' && i + 1 < text.Length)
                    {
                        word.Append(text[i + 1]);
                        i += 2;
                    }
                    else if (char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.')
                    {
                        word.Append(ch);
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }
                if (word.Length == 0)
                {
                    return null;
                }
                tokens.Add(('w', word.ToString()));
            }
        }
        return tokens;
    }
}
