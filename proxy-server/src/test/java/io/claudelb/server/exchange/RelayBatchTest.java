package io.claudelb.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RelayBatchTest {
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final RelayBatch batch = new RelayBatch(alloc);

    private ByteBuf bytes(String text) {
        return alloc.directBuffer().writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneChunkPassesAsItIs() {
        ByteBuf only = bytes("event: ping\n\n");
        batch.add(only);
        HttpContent chunk = batch.take();
        try {
            assertThat(chunk.content()).isSameAs(only);
        } finally {
            chunk.release();
        }
        assertThat(batch.take()).isNull();
    }

    @Test
    void severalChunksBecomeOneWithoutCopying() {
        ByteBuf a = bytes("event: a\n");
        ByteBuf b = bytes("data: 1\n\n");
        batch.add(a);
        batch.add(bytes(""));
        batch.add(b);
        HttpContent chunk = batch.take();
        try {
            assertThat(chunk.content()).isInstanceOf(CompositeByteBuf.class);
            assertThat(((CompositeByteBuf) chunk.content()).numComponents()).isEqualTo(2);
            assertThat(chunk.content().toString(StandardCharsets.UTF_8)).isEqualTo("event: a\ndata: 1\n\n");
            assertThat(a.refCnt()).isEqualTo(1);
        } finally {
            chunk.release();
        }
        assertThat(a.refCnt()).isZero();
        assertThat(b.refCnt()).isZero();
    }

    @Test
    void theLastChunkCarriesWhatIsGatheredOrIsEmpty() {
        assertThat(batch.takeAsLast()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        batch.add(bytes("data: end\n\n"));
        LastHttpContent last = batch.takeAsLast();
        try {
            assertThat(last.content().toString(StandardCharsets.UTF_8)).isEqualTo("data: end\n\n");
        } finally {
            last.release();
        }
    }

    @Test
    void releaseDropsWhatWasGathered() {
        ByteBuf a = bytes("x");
        ByteBuf b = bytes("y");
        batch.add(a);
        batch.add(b);
        batch.release();
        assertThat(a.refCnt()).isZero();
        assertThat(b.refCnt()).isZero();
        assertThat(batch.take()).isNull();
        batch.release();
    }
}
