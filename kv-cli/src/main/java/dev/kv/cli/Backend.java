package dev.kv.cli;

/** The stores {@code --type} names; rqlite is not offered (no package of it is reachable). */
enum Backend {
    sqlite,
    postgres,
    memory
}
