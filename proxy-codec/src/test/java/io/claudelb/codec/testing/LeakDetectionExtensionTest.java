package io.claudelb.codec.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** Proves the build's leak check can fail: a buffer dropped without release is reported. */
class LeakDetectionExtensionTest {

    @Test
    void runsAtParanoid() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void anUnreleasedBufferIsReported() {
        LeakDetectionExtension extension = new LeakDetectionExtension();
        leakOne();
        assertThatThrownBy(() -> extension.afterEach(null))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("leaked");
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(64);
        leaked.writeLong(42);
        // dropped without release on purpose
    }
}
