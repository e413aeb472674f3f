package io.claudelb.server.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus text-format scrape read back into samples, so tests check series by name and labels instead of by
 * substrings. Reads what Micrometer's Prometheus registry writes: {@code name{k="v",...} value} lines and comments.
 */
record Scrape(String text, List<Sample> samples) {
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new HashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                String body = line.substring(brace + 1, line.lastIndexOf('}'));
                int i = 0;
                while (i < body.length()) {
                    int eq = body.indexOf('=', i);
                    int end = body.indexOf('"', eq + 2);
                    while (body.charAt(end - 1) == '\\') {
                        end = body.indexOf('"', end + 1);
                    }
                    labels.put(body.substring(i, eq), body.substring(eq + 2, end));
                    i = end + 2;
                }
            } else {
                name = line.substring(0, space);
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new Scrape(text, samples);
    }

    /** The sum over the samples named {@code name} whose labels include {@code labels} (pairs k, v, ...). */
    double sum(String name, String... labels) {
        double total = 0;
        for (Sample s : matching(name, labels)) {
            total += s.value();
        }
        return total;
    }

    List<Sample> matching(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && hasLabels(s, labels)) {
                found.add(s);
            }
        }
        return found;
    }

    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    private static boolean hasLabels(Sample s, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
