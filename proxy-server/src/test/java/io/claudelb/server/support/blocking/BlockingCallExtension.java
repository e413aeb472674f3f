package io.claudelb.server.support.blocking;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any test during which an event-loop thread made a blocking call ({@link BlockingCalls}). Registered for
 * every test class by JUnit's extension auto-detection (META-INF/services, enabled in the surefire configuration),
 * like {@code LeakDetectionExtension}, so the whole integration suite runs with the detector at no extra cost.
 *
 * <p>Nothing recorded is ever discarded: a call made outside a test (a class's {@code @BeforeAll} starting a
 * gateway, a loop still busy after the previous test) fails the next check, after the next test or after the class.
 */
public final class BlockingCallExtension implements AfterEachCallback, AfterAllCallback {
    static {
        BlockingCalls.install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context);
    }

    private static void check(ExtensionContext context) {
        List<String> calls = BlockingCalls.drain();
        if (!calls.isEmpty()) {
            throw new AssertionError(calls.size() + " blocking call(s) on an event loop in "
                    + context.getDisplayName() + ":\n" + String.join("\n----\n", calls));
        }
    }
}
