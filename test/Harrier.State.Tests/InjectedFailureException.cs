namespace Harrier.State.Tests;

public sealed class InjectedFailureException(string message) : Exception(message);
