namespace Harrier.State;

/// <summary>
/// The store cannot be opened or read as it is: a missing, empty or corrupt <c>state.db</c> next to other state, a
/// data directory that cannot be written, a directory in use by another store, a newer schema. The message is one
/// line for the operator, saying what is wrong and what to do; hosts print it and exit non-zero.
/// </summary>
public sealed class StateStoreException : InvalidOperationException
{
    public StateStoreException(string message)
        : base(message)
    {
    }

    public StateStoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
