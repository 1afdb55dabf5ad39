package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;

/** A kubectl-style plain text table: upper-case headers, columns padded by three spaces. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) { rows.add(headers); }

    void row(String... cells) { rows.add(cells); }

    String render() {
        if (rows.size() == 1) return "No resources found.\n";
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) line.append(" ".repeat(width[i] - r[i].length() + 3));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
