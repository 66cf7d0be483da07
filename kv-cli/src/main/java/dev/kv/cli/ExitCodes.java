package dev.kv.cli;

/** The exit codes of {@code kv}, as its help lists them. */
final class ExitCodes {

    static final int DONE = 0;
    static final int NOT_FOUND = 1;
    static final int BAD_INPUT = 2;
    static final int CONFLICT = 3;
    static final int UNAVAILABLE = 4;
    static final int REFUSED = 5;

    private ExitCodes() {}
}
