namespace Harrier.State.Sqlite;

/// <summary>One row to write: a put when <see cref="Record"/> is set, a delete when it is null.</summary>
internal readonly record struct EncodedRow(string Table, string Id, byte[]? Record);
