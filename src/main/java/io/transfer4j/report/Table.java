package io.transfer4j.report;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns, for results printed to stdout. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    @Override
    public String toString() {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        sb.append(rule).append('\n');
        for (List<String> r : rows) {
            line(sb, r, w);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            sb.append(i == 0 ? "" : "  ");
            sb.append(numeric(c) ? " ".repeat(w[i] - c.length()) + c : pad(c, w[i]));
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }

    private static boolean numeric(String s) {
        return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || ((s.charAt(0) == '-' || s.charAt(0) == '+')
                && s.length() > 1 && Character.isDigit(s.charAt(1))));
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }
}
