package io.claudelb.core.match;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

    /**
     * True when every model {@code other} matches, this pattern matches too, so a route with {@code other} placed
     * after one with this pattern is never reached. Exact for these globs (only {@code *} is special): the
     * patterns, lower-cased as matching is case-insensitive, are compared as automata. {@code other}'s positions are
     * walked together with the set of positions this pattern can be in; where {@code other} has a {@code *} every
     * character may come, so one character of each kind this pattern tells apart is tried (each character it
     * names, and one it does not). {@code other} is covered when no walk ends where it matches and this does not.
     */
    public boolean covers(ModelPattern other) {
        String a = source.toLowerCase(Locale.ROOT);
        String b = other.source.toLowerCase(Locale.ROOT);
        Set<Character> alphabet = new HashSet<>();
        for (char c : a.toCharArray()) {
            if (c != '*') {
                alphabet.add(c);
            }
        }
        char unnamed = 0;
        while (alphabet.contains(unnamed) || unnamed == '*') {
            unnamed++;
        }
        alphabet.add(unnamed);
        Deque<Map.Entry<Integer, BitSet>> work = new ArrayDeque<>();
        Set<Map.Entry<Integer, BitSet>> seen = new HashSet<>();
        BitSet start = new BitSet();
        start.set(0);
        Map.Entry<Integer, BitSet> first = Map.entry(0, closure(a, start));
        work.add(first);
        seen.add(first);
        while (!work.isEmpty()) {
            Map.Entry<Integer, BitSet> state = work.poll();
            int at = state.getKey();
            BitSet here = state.getValue();
            if (here.isEmpty()) {
                return false; // this pattern can no longer match, and other still can (by completing its tail)
            }
            List<Map.Entry<Integer, BitSet>> next = new ArrayList<>();
            if (at == b.length()) {
                if (!here.get(a.length())) {
                    return false;
                }
            } else if (b.charAt(at) == '*') {
                next.add(Map.entry(at + 1, here)); // the * matches nothing more
                for (char c : alphabet) {
                    next.add(Map.entry(at, step(a, here, c)));
                }
            } else {
                next.add(Map.entry(at + 1, step(a, here, b.charAt(at))));
            }
            for (Map.Entry<Integer, BitSet> n : next) {
                if (seen.add(n)) {
                    work.add(n);
                }
            }
        }
        return true;
    }

    /** The positions of {@code p} reachable from {@code from} by letting each {@code *} there match nothing. */
    private static BitSet closure(String p, BitSet from) {
        BitSet out = (BitSet) from.clone();
        for (int i = 0; i < p.length(); i++) {
            if (out.get(i) && p.charAt(i) == '*') {
                out.set(i + 1);
            }
        }
        return out;
    }

    /** The positions of {@code p} after reading {@code c} from any of {@code from}. */
    private static BitSet step(String p, BitSet from, char c) {
        BitSet out = new BitSet();
        for (int i = from.nextSetBit(0); i >= 0 && i < p.length(); i = from.nextSetBit(i + 1)) {
            char pc = p.charAt(i);
            if (pc == '*') {
                out.set(i);
            } else if (pc == c) {
                out.set(i + 1);
            }
        }
        return closure(p, out);
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
