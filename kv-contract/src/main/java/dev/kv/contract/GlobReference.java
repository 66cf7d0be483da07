package dev.kv.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Glob matching by its definition, for tests: the pattern as a list of steps (a star, or one code point
 * a predicate accepts), matched against a key by dynamic programming over every split.
 */
final class GlobReference {

    private GlobReference() {}

    /** Whether {@code key} matches {@code glob}, which must be well formed. */
    static boolean matches(String glob, String key) {
        List<IntPredicate> steps = new ArrayList<>();
        int[] p = glob.codePoints().toArray();
        for (int i = 0; i < p.length; i++) {
            if (p[i] == '*') {
                steps.add(null);
            } else if (p[i] == '?') {
                steps.add(c -> true);
            } else if (p[i] == '\\') {
                int literal = p[++i];
                steps.add(c -> c == literal);
            } else if (p[i] == '[') {
                int j = i + 1;
                boolean negated = p[j] == '!' || p[j] == '^';
                if (negated) {
                    j++;
                }
                List<int[]> ranges = new ArrayList<>();
                while (p[j] != ']') {
                    int low = p[j] == '\\' ? p[++j] : p[j];
                    int high = low;
                    if (j + 2 < p.length && p[j + 1] == '-' && p[j + 2] != ']') {
                        j += 2;
                        high = p[j] == '\\' ? p[++j] : p[j];
                    }
                    ranges.add(new int[] {low, high});
                    j++;
                }
                i = j;
                steps.add(c -> negated != ranges.stream().anyMatch(r -> c >= r[0] && c <= r[1]));
            } else {
                int literal = p[i];
                steps.add(c -> c == literal);
            }
        }
        int[] k = key.codePoints().toArray();
        // matched[i][j]: the first i steps match the first j code points
        boolean[][] matched = new boolean[steps.size() + 1][k.length + 1];
        matched[0][0] = true;
        for (int i = 1; i <= steps.size(); i++) {
            IntPredicate step = steps.get(i - 1);
            for (int j = 0; j <= k.length; j++) {
                matched[i][j] = step == null
                        ? matched[i - 1][j] || j > 0 && matched[i][j - 1]
                        : j > 0 && matched[i - 1][j - 1] && step.test(k[j - 1]);
            }
        }
        return matched[steps.size()][k.length];
    }
}
