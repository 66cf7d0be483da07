package dev.kv.cdi;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** The events fired, in order; the rest of {@link Event} is not used by {@link ChangeEvents}. */
final class FiredEvents implements Event<KvChange> {

    final List<KvChange> changes = new CopyOnWriteArrayList<>();

    @Override
    public void fire(KvChange change) {
        changes.add(change);
    }

    @Override
    public <U extends KvChange> CompletionStage<U> fireAsync(U change) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U extends KvChange> CompletionStage<U> fireAsync(U change, NotificationOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Event<KvChange> select(Annotation... qualifiers) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U extends KvChange> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U extends KvChange> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
        throw new UnsupportedOperationException();
    }
}
