namespace Harrier.Server.Events;

/// <summary>Ends a subscription that fell too far behind.</summary>
public sealed class EventStreamOverflowException() : Exception($"The event stream fell more than {EventBus.MaxOutstanding} events behind and was disconnected");
