namespace Harrier.Core.Discovery;

/// <summary>A VIP label the API refuses: <see cref="PathSuffix"/> follows the ports array's path
/// (<c>(1)/labels/VIP_0</c> after <c>/portDefinitions</c> or <c>/container/portMappings</c>).</summary>
public sealed record VipLabelError(string PathSuffix, string Message);
