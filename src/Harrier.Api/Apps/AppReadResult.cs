namespace Harrier.Api.Apps;

/// <summary>The outcome of reading an app body: <see cref="AppReadOk"/>, <see cref="AppReadRollback"/> or <see cref="AppReadFailed"/>.</summary>
public abstract record AppReadResult;
