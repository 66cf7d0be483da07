package dev.kv.memory;

import dev.kv.KvException;
import java.nio.file.Path;

/**
 * A persistent in-memory store's data directory is damaged in a way a crash does not explain: a
 * log record that fails its checksum and is not an unfinished last append, a damaged segment older
 * than the newest, or a snapshot that does not read back. The store did not open and no file was
 * changed; {@link MemoryKvStores#repair} keeps what precedes the damage and moves the rest aside.
 */
public class CorruptDataException extends KvException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * @param file the damaged file
     * @param offset where in it the damage starts (the damaged record's first byte), or -1 if
     *     unknown (a compressed snapshot)
     */
    public CorruptDataException(Path file, long offset, String reason) {
        super(file + (offset >= 0 ? " is damaged at byte " + offset : " is damaged") + ": " + reason
                + "; nothing was changed (MemoryKvStores.repair keeps what precedes the damage)");
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** The offset of the first damaged byte's record in {@link #file()}, or -1 for a snapshot. */
    public long offset() {
        return offset;
    }
}
