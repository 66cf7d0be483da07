package dev.kv.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.KvDatabaseException;
import dev.kv.KvTimeoutException;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseErrorsTest {

    private static PersistenceException failure(String sqlState) {
        return new PersistenceException(new SQLException("the server said so", sqlState));
    }

    @Test
    void aConnectionLostUnderAnIncrementLeavesItsOutcomeUnknownAndItIsNotRetriedBlindly() {
        for (String state : new String[] {"08006", "57P01", "57P02"}) {
            KvDatabaseException e = DatabaseErrors.translate("increment", failure(state));
            assertThat(e.outcomeUnknown()).as(state).isTrue();
            assertThat(e.retryable()).as(state).isFalse();
            assertThat(e.getMessage()).endsWith("(it may have been applied: read before repeating it)");
        }
        assertThat(DatabaseErrors.translate("update", failure("08006")).retryable())
                .isFalse();
        assertThat(DatabaseErrors.translate("inTransaction", failure("08006")).retryable())
                .isFalse();
        assertThat(DatabaseErrors.translate("setIfVersion", failure("08006")).retryable())
                .isFalse();
    }

    @Test
    void aConnectionLostUnderAWriteThatRepeatsHarmlesslyIsRetryableThoughItsOutcomeIsUnknown() {
        for (String operation : new String[] {"set", "setMany", "delete", "deleteMany", "apply", "expire"}) {
            KvDatabaseException e = DatabaseErrors.translate(operation, failure("08006"));
            assertThat(e.outcomeUnknown()).as(operation).isTrue();
            assertThat(e.retryable()).as(operation).isTrue();
        }
    }

    @Test
    void aReadNeverHasAnUnknownOutcome() {
        KvDatabaseException e = DatabaseErrors.translate("get", failure("57P01"));
        assertThat(e.outcomeUnknown()).isFalse();
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void aFailureMarkedNotAppliedIsRetryableWithAKnownOutcome() {
        KvDatabaseException e = DatabaseErrors.translate("increment", new NotApplied(failure("08006")));
        assertThat(e.outcomeUnknown()).isFalse();
        assertThat(e.retryable()).isTrue();
        assertThat(e.sqlState()).isEqualTo("08006");
    }

    @Test
    void timeoutsAreTypedAndOnlyALockTimeoutIsRetryable() {
        KvDatabaseException lock = DatabaseErrors.translate("set", failure("55P03"));
        assertThat(lock).isInstanceOf(KvTimeoutException.class);
        assertThat(lock.retryable()).isTrue();
        KvDatabaseException statement = DatabaseErrors.translate("scan", failure("57014"));
        assertThat(statement).isInstanceOf(KvTimeoutException.class);
        assertThat(statement.retryable()).isFalse();
        assertThat(statement.outcomeUnknown()).isFalse();
        KvDatabaseException idle = DatabaseErrors.translate("update", failure("25P03"));
        assertThat(idle).isInstanceOf(KvTimeoutException.class);
        assertThat(idle.retryable()).isFalse();
    }

    @Test
    void aPoolThatGaveNoConnectionInTimeIsARetryableTimeout() {
        KvDatabaseException e = DatabaseErrors.translate(
                "get",
                new NotApplied(new PersistenceException(new SQLTransientConnectionException(
                        "kv-t - Connection is not available, request timed out after 250ms."))));
        assertThat(e).isInstanceOf(KvTimeoutException.class);
        assertThat(e.retryable()).isTrue();
        assertThat(e.sqlState()).isNull();
        assertThat(e.getMessage()).startsWith("kv get found no free connection in the store's pool");
    }

    @Test
    void raceLostAndPermanentFailuresKeepTheirAdvice() {
        assertThat(DatabaseErrors.translate("apply", failure("40P01")).retryable())
                .isTrue();
        assertThat(DatabaseErrors.translate("apply", failure("40P01")).outcomeUnknown())
                .isFalse();
        assertThat(DatabaseErrors.translate("set", failure("42P01")).retryable())
                .isFalse();
    }
}
