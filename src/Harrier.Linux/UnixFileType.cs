namespace Harrier.Linux;

/// <summary>The S_IFMT bits of a file mode.</summary>
public enum UnixFileType
{
    Fifo = 0x1000,
    CharacterDevice = 0x2000,
    Directory = 0x4000,
    BlockDevice = 0x6000,
    Regular = 0x8000,
    SymbolicLink = 0xA000,
    Socket = 0xC000,
}
