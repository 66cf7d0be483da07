package dev.kv.rest;

import java.util.List;

/** The little JSON the resources write themselves: strings and lists of strings. */
final class Json {

    private Json() {}

    static String string(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    static String strings(List<String> texts) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < texts.size(); i++) {
            json.append(i == 0 ? "" : ",").append(string(texts.get(i)));
        }
        return json.append(']').toString();
    }
}
