package dev.kv.cdi.tests;

import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract on the injected store called inside the caller's JTA transaction: the test thread
 * begins one before each case and commits it after (or rolls it back if the case marked it for
 * rollback); every call of the case joins it. Threads a case starts have no transaction: their calls
 * run in transactions of their own.
 */
class InjectedStoreInCallerTransactionContractTest extends InjectedStoreContractTest {

    private final TransactionManager transactions = application.transactions();

    @Override
    protected String table() {
        return "contract_injected_caller_tx";
    }

    /** The case's calls commit together, with the caller's transaction. */
    @Override
    protected boolean callsCommitOneByOne() {
        return false;
    }

    @BeforeEach
    void beginCallersTransaction() throws Exception {
        transactions.begin();
    }

    @AfterEach
    void endCallersTransaction() throws Exception {
        if (transactions.getStatus() == Status.STATUS_ACTIVE) {
            transactions.commit();
        } else if (transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
            transactions.rollback();
        }
    }
}
