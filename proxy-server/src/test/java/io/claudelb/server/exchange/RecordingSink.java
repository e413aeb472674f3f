package io.claudelb.server.exchange;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ResponseSink} over an {@link EmbeddedChannel} for exchange tests: what it is given is written to the
 * channel (read it back with {@code readOutbound}), flushes and endings are counted, and its writability is set by
 * the test instead of by an outbound buffer.
 */
final class RecordingSink implements ResponseSink {
    final EmbeddedChannel channel = new EmbeddedChannel();
    final List<String> endings = new ArrayList<>();
    int flushes;
    private boolean writable = true;
    private Runnable resume;

    @Override
    public void head(HttpResponse head) {
        channel.write(head);
    }

    @Override
    public void content(HttpContent content) {
        channel.write(content);
    }

    @Override
    public void end(LastHttpContent last) {
        channel.writeAndFlush(last);
        endings.add("end");
    }

    @Override
    public void fail(LastHttpContent errorTail) {
        channel.writeAndFlush(errorTail);
        endings.add("fail");
    }

    @Override
    public void abort() {
        channel.flush();
        endings.add("abort");
    }

    @Override
    public void whole(FullHttpResponse response) {
        channel.writeAndFlush(response);
        endings.add("whole");
    }

    @Override
    public void flush() {
        flushes++;
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void onWritable(Runnable r) {
        resume = r;
    }

    @Override
    public long pendingBytes() {
        return 0;
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /** The consumer's writability changes; becoming writable runs the registered resume hook, as a channel would. */
    void writable(boolean now) {
        writable = now;
        if (now && resume != null) {
            resume.run();
        }
    }

    boolean hasResumeHook() {
        return resume != null;
    }
}
