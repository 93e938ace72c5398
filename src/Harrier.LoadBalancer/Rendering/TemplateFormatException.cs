namespace Harrier.LoadBalancer.Rendering;

/// <summary>A template has a placeholder this renderer does not fill, or unbalanced braces.</summary>
internal sealed class TemplateFormatException(string message) : Exception(message);
