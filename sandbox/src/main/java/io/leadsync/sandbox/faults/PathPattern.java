package io.leadsync.sandbox.faults;

import java.util.regex.Pattern;

/**
 * A rule's or hook's path: a prefix of the request path, in which {@code *} stands for any characters within one
 * segment and {@code **} for any characters at all; a final {@code $} anchors the end. Null or empty: every path.
 */
final class PathPattern {
    private static final PathPattern ANY = new PathPattern("", null);

    private final String text;
    private final Pattern regex;

    private PathPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    static PathPattern of(String text) {
        if (text == null || text.isEmpty()) {
            return ANY;
        }
        boolean anchored = text.endsWith("$");
        String body = anchored ? text.substring(0, text.length() - 1) : text;
        if (!body.contains("*")) {
            return new PathPattern(text, anchored ? Pattern.compile(Pattern.quote(body) + "$") : null);
        }
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int star = body.indexOf('*', i);
            if (star < 0) {
                regex.append(Pattern.quote(body.substring(i)));
                break;
            }
            if (star > i) {
                regex.append(Pattern.quote(body.substring(i, star)));
            }
            if (star + 1 < body.length() && body.charAt(star + 1) == '*') {
                regex.append(".*");
                i = star + 2;
            } else {
                regex.append("[^/]*");
                i = star + 1;
            }
        }
        if (anchored) {
            regex.append('$');
        }
        return new PathPattern(text, Pattern.compile(regex.toString()));
    }

    boolean matches(String path) {
        if (regex == null) {
            return path.startsWith(text);
        }
        return regex.matcher(path).lookingAt();
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "*" : text;
    }
}
