package io.claudelb.server.support.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector every test runs with does report a blocking call made on a real event loop, and only there. */
class BlockingCallDetectorTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        BlockingCalls.install();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void sleepOnAnEventLoopIsRecordedWithItsThreadAndStack() throws Exception {
        BlockingCalls.drain();
        group.next().submit(() -> {
            Thread.sleep(1);
            return null;
        }).sync();

        List<String> calls = BlockingCalls.drain();
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).contains("java.lang.Thread.sleep", "EventLoopGroup",
                BlockingCallDetectorTest.class.getName());
    }

    @Test
    void fileReadOnAnEventLoopIsRecorded(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        BlockingCalls.drain();
        group.next().submit(() -> Files.readString(file)).sync();

        assertThat(BlockingCalls.drain()).isNotEmpty()
                .allSatisfy(call -> assertThat(call).contains("UnixNativeDispatcher.open0", "Files.readString"));
    }

    @Test
    void fileStatOnAnEventLoopIsRecorded(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        BlockingCalls.drain();
        group.next().submit(() -> Files.getLastModifiedTime(file)).sync();

        assertThat(BlockingCalls.drain()).isNotEmpty()
                .allSatisfy(call -> assertThat(call).contains("Files.getLastModifiedTime"));
    }

    @Test
    void hostNameLookupOnAnEventLoopIsRecordedEvenWhenCached() throws Exception {
        new InetSocketAddress("localhost", 80);
        BlockingCalls.drain();
        group.next().submit(() -> new InetSocketAddress("localhost", 80)).sync();

        assertThat(BlockingCalls.drain()).isNotEmpty()
                .allSatisfy(call -> assertThat(call).contains("InetAddress.getAllByName0"));
    }

    @Test
    void literalAddressOnAnEventLoopIsNoLookup() throws Exception {
        BlockingCalls.drain();
        group.next().submit(() -> new InetSocketAddress("127.0.0.1", 80)).sync();

        assertThat(BlockingCalls.drain()).isEmpty();
    }

    @Test
    void theSameCallOffTheEventLoopIsNot() throws Exception {
        BlockingCalls.drain();
        Thread.sleep(1);

        assertThat(BlockingCalls.drain()).isEmpty();
    }
}
