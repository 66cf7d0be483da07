package dev.kv.contract.cdi;

import dev.kv.cdi.KvChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the changes delivered after commit. */
@ApplicationScoped
public class ChangeRecorder {

    private final List<KvChange> committed = new CopyOnWriteArrayList<>();

    void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) KvChange change) {
        committed.add(change);
    }

    public List<KvChange> changesOf(String key) {
        return committed.stream().filter(c -> c.key().equals(key)).toList();
    }
}
