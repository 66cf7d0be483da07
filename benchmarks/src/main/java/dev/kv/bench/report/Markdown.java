package dev.kv.bench.report;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Markdown that more than one section writes. */
final class Markdown {

    private Markdown() {}

    /** One table row of {@code cells}, ended by a newline. */
    static String row(Object... cells) {
        return Arrays.stream(cells).map(String::valueOf).collect(Collectors.joining(" | ", "| ", " |\n"));
    }
}
