package dev.kv;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The streams of {@link KvStore#stream(ScanOptions, int)}: an iterator that reads one page with the
 * store's own scan, hands it out, and reads the next after its last key when it runs dry.
 */
final class ScanPages<T> implements Iterator<T> {

    static final int MAX_PAGE_SIZE = 100_000;

    private final BiFunction<KvStore, ScanOptions, List<T>> read;
    private final Function<T, String> keyOf;
    private final KvStore store;
    private ScanOptions next;
    private long remaining;
    private final int pageSize;
    private Iterator<T> page = List.<T>of().iterator();
    private boolean lastPage;
    private boolean closed;

    private ScanPages(
            KvStore store,
            ScanOptions options,
            int pageSize,
            BiFunction<KvStore, ScanOptions, List<T>> read,
            Function<T, String> keyOf) {
        this.store = store;
        this.read = read;
        this.keyOf = keyOf;
        this.pageSize = pageSize;
        OptionalInt limit = options.limit();
        this.remaining = limit.isPresent() ? limit.getAsInt() : Long.MAX_VALUE;
        this.next = options;
    }

    static Stream<Entry> entries(KvStore store, ScanOptions options, int pageSize) {
        return stream(new ScanPages<>(store, check(options, pageSize), pageSize, KvStore::scan, Entry::key));
    }

    static Stream<String> keys(KvStore store, ScanOptions options, int pageSize) {
        return stream(new ScanPages<>(store, check(options, pageSize), pageSize, KvStore::keys, key -> key));
    }

    private static ScanOptions check(ScanOptions options, int pageSize) {
        if (options == null) {
            throw new KvValidationException("options must not be null");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new KvValidationException(
                    "pageSize must be between 1 and " + MAX_PAGE_SIZE + ", but was " + pageSize);
        }
        return options;
    }

    private static <T> Stream<T> stream(ScanPages<T> pages) {
        Spliterator<T> spliterator = Spliterators.spliteratorUnknownSize(
                pages, Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL);
        return StreamSupport.stream(spliterator, false).onClose(pages::close);
    }

    @Override
    public boolean hasNext() {
        while (!page.hasNext()) {
            if (lastPage || closed || remaining == 0) {
                return false;
            }
            readPage();
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T item = page.next();
        remaining--;
        if (!page.hasNext() && !lastPage) {
            next = next.offset(0).after(keyOf.apply(item));
        }
        return item;
    }

    private void readPage() {
        int size = (int) Math.min(pageSize, remaining);
        List<T> items = read.apply(store, next.limit(size));
        lastPage = items.size() < size;
        page = items.iterator();
    }

    private void close() {
        closed = true;
        page = List.<T>of().iterator();
    }
}
