package io.claudelb.core.match;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A route's model pattern: an exact name or a glob where {@code *} matches any run of characters. Matching is
 * anchored at both ends and case-insensitive; every other character is literal (a {@code .} is a dot).
 */
public final class ModelPattern {
    private final String source;
    private final Pattern regex;

    public ModelPattern(String source) {
        this.source = source;
        StringBuilder re = new StringBuilder();
        int start = 0;
        for (int star = source.indexOf('*'); star >= 0; star = source.indexOf('*', start)) {
            if (star > start) {
                re.append(Pattern.quote(source.substring(start, star)));
            }
            re.append(".*");
            start = star + 1;
        }
        if (start < source.length()) {
            re.append(Pattern.quote(source.substring(start)));
        }
        this.regex = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    public boolean matches(String model) {
        return model != null && regex.matcher(model).matches();
    }

    public boolean isGlob() {
        return source.indexOf('*') >= 0;
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source.toLowerCase(Locale.ROOT);
    }
}
