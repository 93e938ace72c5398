using System.Runtime.CompilerServices;
using System.Text.Json;
using Harrier.LoadBalancer.Marathon;

namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// The balancer's configuration generator, pure: a <c>/v2/apps?embed=apps.tasks</c> body and the options → the
/// HAProxy config, map files and server list marathon-lb would produce (<see cref="LbOptions.Live"/> aside). The only
/// state is the caller's <see cref="LbHealthCache"/>; the only I/O reading the templates directory, once per
/// <see cref="LbOptions"/> instance.
/// </summary>
public static class LbRenderer
{
    private static readonly ConditionalWeakTable<LbOptions, Templates> TemplateCache = [];

    /// <exception cref="LbInputException">The body is not an apps response, or an option or global template is unusable.</exception>
    public static RenderedConfig Render(string appsJson, LbOptions options, LbHealthCache? healthCache = null)
    {
        ArgumentNullException.ThrowIfNull(appsJson);
        using var document = AppsJsonReader.Parse(appsJson);
        return Render(document.RootElement, options, healthCache);
    }

    /// <inheritdoc cref="Render(string, LbOptions, LbHealthCache?)"/>
    public static RenderedConfig Render(JsonElement apps, LbOptions options, LbHealthCache? healthCache = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        var templates = TemplatesFor(options);
        var parsed = AppsJsonReader.Read(apps, warnings);
        var services = ServiceBuilder.Build(parsed, options, healthCache ?? new LbHealthCache(), warnings);
        return RenderServices(services, options, templates, warnings);
    }

    internal static RenderedConfig RenderServices(IReadOnlyList<LbService> services, LbOptions options, Templates templates, List<string> warnings)
    {
        try
        {
            return ConfigRenderer.Render(services, options, templates, warnings);
        }
        catch (TemplateFormatException e)
        {
            throw new LbInputException($"a global template cannot be filled: {e.Message}", e);
        }
    }

    internal static Templates TemplatesFor(LbOptions options) => TemplateCache.GetValue(options, Templates.Load);
}
