package io.claudelb.server.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's own answers to POSIX signals, for {@code serve}: SIGTERM and SIGINT ask for a graceful stop, SIGHUP
 * for a config reload. Without this the JVM answers all three by running the shutdown hooks and exiting 128 + the
 * signal (143 for SIGTERM), which systemd reports as a failed stop and which makes SIGHUP kill the gateway.
 *
 * <p>The JDK has no public API for signals; {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported to
 * every module) is the supported way in practice. It is reached by reflection because javac's {@code --release}
 * reports every use of it as a warning that {@code -Werror} turns into an error and no annotation suppresses. All of
 * that stays in this class. A handler runs on a thread the JVM starts for that signal: never an event loop, and it
 * must only hand the work on (count down a latch, submit to the control plane).
 */
final class ProcessSignals {
    private static final Logger log = LoggerFactory.getLogger(ProcessSignals.class);

    private ProcessSignals() {
    }

    /**
     * Installs {@code action} for signal {@code name} ({@code "TERM"}, {@code "INT"}, {@code "HUP"}), replacing the
     * JVM's own handler.
     *
     * @return false when the signal cannot be handled here (unknown on this OS, reserved by the JVM, or
     *         {@code -Xrs}), or when the process was started with it ignored ({@code nohup} ignores SIGHUP, and the
     *         JVM then keeps it ignored rather than install a handler); the reason is logged
     */
    static boolean handle(String name, Runnable action) {
        Objects.requireNonNull(action, "action");
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object signal = signalType.getConstructor(String.class).newInstance(name);
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> dispatch(proxy, name, action, method, args));
            Object previous = signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, handler);
            if (previous == handlerType.getField("SIG_IGN").get(null)) {
                log.warn("SIG{} is ignored by the process that started claude-lb (nohup does that to SIGHUP), so the "
                        + "JVM keeps ignoring it: {}", name, ignoredMeans(name));
                return false;
            }
            return true;
        } catch (InvocationTargetException e) {
            // Signal's constructor or handle() refused: IllegalArgumentException names the reason.
            log.warn("cannot handle SIG{}: {}; the JVM's default stays", name, e.getCause().getMessage());
            return false;
        } catch (ReflectiveOperationException | LinkageError e) {
            log.warn("cannot handle SIG{} on this JVM ({}); the JVM's default stays", name, e.toString());
            return false;
        }
    }

    private static String ignoredMeans(String name) {
        return name.equals("HUP")
                ? "reload with POST /reload (admin key) or run serve --watch instead"
                : "it will not stop the gateway";
    }

    private static Object dispatch(Object proxy, String name, Runnable action, Method method, Object[] args) {
        return switch (method.getName()) {
            case "handle" -> {
                action.run();
                yield null;
            }
            case "toString" -> "claude-lb SIG" + name + " handler";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(method.getName());
        };
    }
}
