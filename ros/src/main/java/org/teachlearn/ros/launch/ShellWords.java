package org.teachlearn.ros.launch;

import java.util.ArrayList;
import java.util.List;

/** Splits a command line into words as Python's shlex.split does (POSIX quoting, no shell). */
public final class ShellWords {

    private ShellWords() {
    }

    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException("no closing quotation in: " + text);
                w.append(text, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                i++;
                for (; i < text.length() && text.charAt(i) != '"'; i++) {
                    char d = text.charAt(i);
                    if (d == '\\' && i + 1 < text.length() && "\\\"$`\n".indexOf(text.charAt(i + 1)) >= 0) d = text.charAt(++i);
                    w.append(d);
                }
                if (i >= text.length()) throw new IllegalArgumentException("no closing quotation in: " + text);
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                w.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }
}
