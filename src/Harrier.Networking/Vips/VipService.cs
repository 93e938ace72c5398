namespace Harrier.Networking.Vips;

/// <summary>
/// A VIP as it should be in the kernel: its key and its backends. <paramref name="Name"/> (the label as written,
/// <c>/httpi:3141</c>) is for messages only and never reaches nft.
/// </summary>
public sealed record VipService(VipKey Key, IReadOnlyList<VipBackend> Backends, string? Name = null);
