package io.claudelb.server.usage;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a usage report groups by ({@code group_by=client,model,upstream,session,day}). */
public enum ReportDimension {
    CLIENT, MODEL, UPSTREAM, SESSION, DAY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A comma-separated list; blank means none (one total row).
     *
     * @throws IllegalArgumentException naming the unknown dimension
     */
    public static Set<ReportDimension> parse(String list) {
        Set<ReportDimension> dims = EnumSet.noneOf(ReportDimension.class);
        if (list == null || list.isBlank()) {
            return dims;
        }
        for (String part : list.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            ReportDimension found = null;
            for (ReportDimension d : values()) {
                if (d.wireName().equals(p) || (d == MODEL && p.equals("target_model"))) {
                    found = d;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown group_by '" + part.trim()
                        + "'; expected client, model, upstream, session or day");
            }
            dims.add(found);
        }
        return dims;
    }
}
