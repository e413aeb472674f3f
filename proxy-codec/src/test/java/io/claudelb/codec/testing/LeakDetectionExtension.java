package io.claudelb.codec.testing;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any test during which Netty reports a leaked buffer. Registered for every test class by JUnit's extension
 * auto-detection (META-INF/services, enabled in the surefire configuration), so no test can forget it.
 *
 * <p>Netty reports a leak when a later allocation finds a collected, unreleased buffer. After each test this
 * collects garbage and allocates to provoke those reports, then fails the test if any arrived. Leak detection runs
 * at {@code paranoid} (every buffer tracked), set by the build.
 */
public final class LeakDetectionExtension implements BeforeEachCallback, AfterEachCallback {
    private static final List<String> LEAKS = new ArrayList<>();

    static {
        ResourceLeakDetector<ByteBuf> detector = byteBufDetector();
        detector.setLeakListener((resourceType, records) -> {
            synchronized (LEAKS) {
                LEAKS.add(resourceType + "\n" + records);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static ResourceLeakDetector<ByteBuf> byteBufDetector() {
        try {
            Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
            field.setAccessible(true);
            return (ResourceLeakDetector<ByteBuf>) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach Netty's ByteBuf leak detector", e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        drain();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leaked buffer(s) in "
                    + (context == null ? "test" : context.getDisplayName()) + ":\n" + String.join("\n----\n", leaks));
        }
    }

    /** Collects garbage, provokes leak reports, and returns (and forgets) what was reported. */
    private static List<String> drain() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            System.runFinalization();
            PooledByteBufAllocator.DEFAULT.buffer(1).release();
            PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
            UnpooledByteBufAllocator.DEFAULT.heapBuffer(1).release();
        }
        synchronized (LEAKS) {
            List<String> copy = List.copyOf(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }
}
