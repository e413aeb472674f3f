package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.Test;

/** {@link MockOptions}' builder: where its defaults come from and that {@code toBuilder()} loses nothing. */
class MockOptionsTest {

    @Test
    void aBuilderLeftAloneBuildsTheDocumentedDefaults() {
        MockOptions defaults = MockOptions.defaults();

        assertThat(MockOptions.builder().build()).isEqualTo(defaults);
        assertThat(defaults.name()).isEqualTo("mock");
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isZero();
        assertThat(defaults.behaviour()).isEqualTo(MockBehaviour.defaults());
        assertThat(defaults.recordLimit()).isEqualTo(MockOptions.DEFAULT_RECORD_LIMIT);
        assertThat(defaults.ioThreads()).isZero();
        assertThat(defaults.auth()).isEqualTo(MockAuth.defaults());
        assertThat(defaults.tls()).isNull();
    }

    @Test
    void toBuilderCopiesEveryComponent() throws Exception {
        MockOptions every = MockOptions.builder().name("other").host("::1").port(1).ioThreads(2).recordLimit(3)
                .behaviour(MockBehaviour.builder().textEvents(4).build())
                .auth(MockAuth.builder().requireBearer(true).build()).tls(serverContext()).build();

        RecordComponents.assertEachDiffers(every, MockOptions.defaults());
        assertThat(every.toBuilder().build()).isEqualTo(every);
    }

    /** A server context with no key: enough to be accepted, never used for a handshake here. */
    private static SslContext serverContext() throws Exception {
        KeyStore empty = KeyStore.getInstance(KeyStore.getDefaultType());
        empty.load(null, null);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(empty, new char[0]);
        return SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).build();
    }
}
