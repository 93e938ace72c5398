namespace Harrier.State.Codec;

/// <summary>
/// The envelope of every stored value: <see cref="Format"/> is the version of the stored shape, so a later release can
/// migrate old records when it reads them.
/// </summary>
internal sealed record StoredRecord<T>(int Format, T Value);
