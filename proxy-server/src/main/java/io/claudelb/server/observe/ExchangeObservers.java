package io.claudelb.server.observe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observers of finished requests, in registration order. Registered at startup (and by features that come and
 * go with the config); delivering is a walk over a copy-on-write list: no lock, no allocation.
 */
public final class ExchangeObservers implements ExchangeObserver {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeObservers.class);

    private final List<ExchangeObserver> observers = new CopyOnWriteArrayList<>();

    public void add(ExchangeObserver observer) {
        observers.add(observer);
    }

    public void remove(ExchangeObserver observer) {
        observers.remove(observer);
    }

    @Override
    public void exchangeEnded(ExchangeEvent event) {
        for (ExchangeObserver observer : observers) {
            try {
                observer.exchangeEnded(event);
            } catch (RuntimeException e) {
                // One observer's defect must not cost the others their event, nor the request its connection.
                LOG.warn("exchange observer {} failed on request {}", observer.getClass().getName(),
                        event.requestId(), e);
            }
        }
    }
}
