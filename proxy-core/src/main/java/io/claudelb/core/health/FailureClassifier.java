package io.claudelb.core.health;

import io.claudelb.core.config.ConfigException;
import io.claudelb.core.config.HealthSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides whether an upstream's response head (and, for an error, the first bytes of its body) is a failure of
 * that upstream, and which {@link FailureKind}. Built once per config snapshot from {@code health:}; immutable.
 *
 * <p>Status rows, first match wins:
 * <ul>
 *   <li>1xx, 2xx: never a failure (a configured status there is ignored: a success is a success);</li>
 *   <li>401, 403: {@link FailureKind#UPSTREAM_AUTH} (the upstream's credential is bad, not the client's);</li>
 *   <li>408, 429, 500, 502, 503, 504, 529: their own kinds;</li>
 *   <li>a status in {@code extra_failure_statuses} (3xx to 5xx): {@link FailureKind#CONFIGURED_STATUS};</li>
 *   <li>any other 5xx (501, 505, 520...): {@link FailureKind#HTTP_500}: the upstream failed, another may not;</li>
 *   <li>anything else (3xx, 400, 404, 413, 422, other 4xx): null: the client's problem, returned unchanged,
 *       never counted, never failed over.</li>
 * </ul>
 * Body patterns apply only to error statuses (4xx, 5xx), never to a 2xx body, which is model output.
 */
public final class FailureClassifier {
    private final Set<Integer> extraStatuses;
    private final List<Pattern> bodyPatterns;

    /**
     * @throws ConfigException when a body pattern is not a valid regular expression
     */
    public FailureClassifier(HealthSettings settings) {
        this.extraStatuses = settings.extraFailureStatuses();
        List<Pattern> compiled = new ArrayList<>();
        List<String> sources = settings.failureBodyPatterns();
        for (int i = 0; i < sources.size(); i++) {
            try {
                compiled.add(Pattern.compile(sources.get(i), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
            } catch (PatternSyntaxException e) {
                throw new ConfigException("health.failure_body_patterns[" + i + "]",
                        "is not a valid regular expression: " + e.getDescription());
            }
        }
        this.bodyPatterns = List.copyOf(compiled);
    }

    /** The failure a response status means, or null when it is a success or the client's own error. */
    public FailureKind classifyStatus(int status) {
        if (status < 300) {
            return null;
        }
        FailureKind fixed = switch (status) {
            case 401, 403 -> FailureKind.UPSTREAM_AUTH;
            case 408 -> FailureKind.HTTP_408;
            case 429 -> FailureKind.HTTP_429;
            case 500 -> FailureKind.HTTP_500;
            case 502 -> FailureKind.HTTP_502;
            case 503 -> FailureKind.HTTP_503;
            case 504 -> FailureKind.HTTP_504;
            case 529 -> FailureKind.HTTP_529;
            default -> null;
        };
        if (fixed != null) {
            return fixed;
        }
        if (extraStatuses.contains(status)) {
            return FailureKind.CONFIGURED_STATUS;
        }
        return status >= 500 && status <= 599 ? FailureKind.HTTP_500 : null;
    }

    /**
     * {@link FailureKind#BODY_PATTERN} when an error response's body prefix matches one of
     * {@code failure_body_patterns}; null for a non-error status, an empty prefix, or no match.
     */
    public FailureKind classifyBody(int status, String bodyPrefix) {
        if (status < 400 || bodyPrefix == null || bodyPrefix.isEmpty()) {
            return null;
        }
        for (Pattern p : bodyPatterns) {
            if (p.matcher(bodyPrefix).find()) {
                return FailureKind.BODY_PATTERN;
            }
        }
        return null;
    }

    /** The status verdict, else (for an error status the status alone lets through) the body verdict. */
    public FailureKind classify(int status, String bodyPrefix) {
        FailureKind byStatus = classifyStatus(status);
        return byStatus != null ? byStatus : classifyBody(status, bodyPrefix);
    }

    /**
     * Whether an error body could change the verdict of {@code status}: the caller needs to hold a body prefix
     * only then.
     */
    public boolean needsBody(int status) {
        return !bodyPatterns.isEmpty() && status >= 400 && classifyStatus(status) == null;
    }
}
