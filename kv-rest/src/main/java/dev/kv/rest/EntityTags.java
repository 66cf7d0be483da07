package dev.kv.rest;

/** Entity tags carry an entry's version: {@code "7"}. */
final class EntityTags {

    private EntityTags() {}

    static String of(long version) {
        return "\"" + version + "\"";
    }

    /** Whether an {@code If-Match} header accepts the entry's current version. */
    static boolean matches(String ifMatch, long version) {
        for (String tag : ifMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(of(version))) {
                return true;
            }
        }
        return false;
    }
}
