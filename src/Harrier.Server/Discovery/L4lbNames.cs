namespace Harrier.Server.Discovery;

/// <summary>Named VIPs' l4lb names (placeholder until Harrier.Dns's L4lbName lands).</summary>
internal static class L4lbNames
{
    public static string Key(string label, string framework) => Frag(label) + "." + Frag(framework);

    public static string Of(string label, string framework) => Key(label, framework) + ".l4lb.thisdcos.directory";

    private static string Frag(string text) => string.Join('.', text.ToLowerInvariant().Split('.')
        .Select(p => new string([.. p.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Select(c => c == '_' ? '-' : c)]))
        .Where(p => p.Length > 0));
}
