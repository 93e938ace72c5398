using Harrier.Api.Errors;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>The <c>networks</c> list (<c>NetworkValidation.ramlNetworksValidator</c>, <c>defaultNetworkNameValidator</c>).</summary>
internal static class NetworksValidator
{
    public const string NameMustBeSpecified = "Network name must be specified when container network is selected.";

    public static IEnumerable<Violation> Validate(AppRaml app, AppReadContext context)
    {
        var nets = app.Networks ?? [];
        if (nets.Any(n => n.Mode == NetworkMode.Host && (!string.IsNullOrEmpty(n.Name) || !n.Labels.IsEmpty)))
        {
            yield return new Violation("/networks", "Host networks may not have names or labels");
        }
        if (nets.Any(n => n.Mode == NetworkMode.ContainerBridge && !string.IsNullOrEmpty(n.Name)))
        {
            yield return new Violation("/networks", "Bridge networks may not have names");
        }
        var unnamed = nets.Count(n => n.Name is null && n.Mode == NetworkMode.Container);
        var named = nets.Select(n => n.Name).OfType<string>().ToList();
        if (unnamed >= 2 || named.Distinct(StringComparer.Ordinal).Count() != named.Count)
        {
            yield return new Violation("/networks", "Duplicate networks are not allowed");
        }
        var host = nets.Count(n => n.Mode == NetworkMode.Host);
        var bridge = nets.Count(n => n.Mode == NetworkMode.ContainerBridge);
        var container = nets.Count(n => n.Mode == NetworkMode.Container);
        var shapeOk = (host <= 1 && bridge == 0 && container == 0)
            || (host == 0 && bridge <= 1 && container == 0)
            || (host == 0 && bridge == 0 && container > 0);
        if (!shapeOk)
        {
            yield return new Violation("/networks", "May specify a single host network, single bridge network, or else 1-to-n container networks");
        }
        if (context.DefaultNetworkName is null && nets.Any(n => n.Mode == NetworkMode.Container && n.Name is null))
        {
            yield return new Violation("/networks", NameMustBeSpecified);
        }
        if (context.IsKnownNetwork is { } known)
        {
            for (var i = 0; i < nets.Count; i++)
            {
                if (nets[i] is { Mode: NetworkMode.Container, Name: { } name } && !known(name))
                {
                    yield return new Violation($"/networks({i})/name", $"Network '{name}' does not exist: it is no overlay (--overlay) and no agent offers it (--cni-config-dir)");
                }
            }
        }
        if (app.Container?.Type == ContainerType.Docker && container > 1)
        {
            yield return new Violation("/", "may only specify a single container network when using the Docker container engine");
        }
    }
}
