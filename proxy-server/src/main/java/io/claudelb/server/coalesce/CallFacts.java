package io.claudelb.server.coalesce;

import io.claudelb.server.observe.ExchangeEvent;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * The facts of the call that made a kept {@link CompletedAnswer}. The answer is kept the moment its last piece
 * arrives, before that piece reaches the leader's client (so a client that resends at once finds it), but the call's
 * exchange event comes a moment later: a replay that starts in between is told the facts when they are known.
 *
 * <p>Threads: {@link #tell} may be called from any loop; the waiting list lives on the call's loop.
 */
final class CallFacts {
    private final EventLoop loop;
    private volatile ExchangeEvent facts;
    private List<Subscriber> waiting = new ArrayList<>(1);

    CallFacts(EventLoop loop) {
        this.loop = loop;
    }

    /** Tells {@code replay} the call's facts, now or once they are known. */
    void tell(Subscriber replay) {
        ExchangeEvent known = facts;
        if (known != null) {
            replay.callFacts(known);
            return;
        }
        if (!loop.inEventLoop()) {
            loop.execute(() -> tell(replay));
            return;
        }
        waiting.add(replay);
    }

    /** The call's exchange ended: everyone waiting hears it. On the call's loop. */
    void known(ExchangeEvent event) {
        facts = event;
        List<Subscriber> told = waiting;
        waiting = List.of();
        for (Subscriber s : told) {
            s.callFacts(event);
        }
    }
}
