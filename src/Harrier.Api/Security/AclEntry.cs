namespace Harrier.Api.Security;

/// <summary>One principal of an ACL file: how it proves itself (a password hash, a token hash, or both) and its
/// grants.</summary>
public sealed record AclEntry(string Name, string? PasswordHash, string? TokenHash, IReadOnlyList<PathGrant> Grants);
