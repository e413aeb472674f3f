package io.claudelb.server.exchange;

import io.claudelb.core.health.FailureKind;
import io.claudelb.server.backend.PoolExhaustedException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.timeout.TimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/** Maps a transport exception from connecting to or talking with an upstream onto a {@link FailureKind}. */
final class BackendFailures {
    private BackendFailures() {
    }

    static FailureKind classify(Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (t instanceof PoolExhaustedException) {
            return FailureKind.POOL_EXHAUSTED;
        }
        if (t instanceof ConnectTimeoutException || t instanceof TimeoutException) {
            return FailureKind.CONNECT_TIMEOUT;
        }
        if (t instanceof SSLException) {
            return FailureKind.TLS;
        }
        if (t instanceof ConnectException || t instanceof NoRouteToHostException
                || t instanceof UnknownHostException || t instanceof ProxyConnectException) {
            return FailureKind.CONNECT_REFUSED;
        }
        if (t instanceof ClosedChannelException) {
            return FailureKind.RESET_BEFORE_HEADERS;
        }
        return FailureKind.RESET_BEFORE_HEADERS;
    }

    /** A short description for logs and the all-failed message; never contains a URL or secret. */
    static String describe(FailureKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
