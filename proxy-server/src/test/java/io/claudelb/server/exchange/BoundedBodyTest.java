package io.claudelb.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A gathered body keeps each content as its own slice: nothing is copied however many contents arrive. */
class BoundedBodyTest {

    @Test
    void manySmallContentsStayOneComponentEachWithoutCopying() {
        BoundedBody body = new BoundedBody(PooledByteBufAllocator.DEFAULT, 64 * 1024);
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            String piece = "{\"chunk\":" + i + "}";
            sent.append(piece);
            body.add(new DefaultHttpContent(Unpooled.copiedBuffer(piece, StandardCharsets.UTF_8)));
        }
        assertThat(body.components()).isEqualTo(40);
        ByteBuf bytes = body.take();
        try {
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(sent.toString());
        } finally {
            bytes.release();
        }
    }

    @Test
    void aContentPastTheLimitIsCutAndTheRestDropped() {
        BoundedBody body = new BoundedBody(PooledByteBufAllocator.DEFAULT, 10);
        body.add(new DefaultHttpContent(Unpooled.copiedBuffer("0123456", StandardCharsets.UTF_8)));
        DefaultHttpContent over = new DefaultHttpContent(Unpooled.copiedBuffer("789abc", StandardCharsets.UTF_8));
        assertThat(body.fits(over)).isFalse();
        body.add(over);
        assertThat(body.prefix(100)).isEqualTo("0123456789");
        body.release();
        assertThat(over.refCnt()).isZero();
    }
}
