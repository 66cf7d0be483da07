package dev.kv.cdi.tests;

/**
 * The contract on the injected store called outside any transaction: each call runs in a JTA
 * transaction of its own, begun and committed by the store's {@code @Transactional(REQUIRED)} boundary.
 */
class InjectedStoreContractTest extends InjectedStoreContract {

    private static final InjectedTable TABLE = new InjectedTable("contract_injected");

    InjectedStoreContractTest() {
        super(TABLE);
    }
}
