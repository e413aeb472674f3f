package io.claudelb.server.usage;

import io.claudelb.core.usage.PriceTable;
import io.claudelb.server.admission.Admissions;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.ExchangeObserver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage accounting as an {@link ExchangeObserver}: each finished Messages request becomes one {@link UsageRecord},
 * priced with the current config's {@link PriceTable}, queued for the database (never blocking the event loop),
 * and finishes the request's admission ticket with its billed tokens and cost. Other requests (local endpoints,
 * preflights) are not usage. A target model without a price is recorded at cost 0 and logged once per model.
 */
public final class UsageObserver implements ExchangeObserver {
    private static final Logger LOG = LoggerFactory.getLogger(UsageObserver.class);
    private static final int MAX_WARNED = 256;

    private final Supplier<PriceTable> prices;
    private final UsageStore store;
    private final Admissions admissions;
    private final Set<String> warnedUnpriced = ConcurrentHashMap.newKeySet();

    public UsageObserver(Supplier<PriceTable> prices, UsageStore store, Admissions admissions) {
        this.prices = prices;
        this.store = store;
        this.admissions = admissions;
    }

    @Override
    public void exchangeEnded(ExchangeEvent event) {
        if (!UsageRecord.recorded(event)) {
            return;
        }
        PriceTable table = prices.get();
        UsageRecord record = UsageRecord.of(event, table);
        try {
            store.offer(record);
        } finally {
            admissions.finished(event.requestId(), record.billed() ? record.limitTokens() : 0, record.costNanos());
        }
        if (record.costNanos() == 0 && UsageRecord.unpriced(event, table) && warnedUnpriced.size() < MAX_WARNED
                && warnedUnpriced.add(String.valueOf(record.targetModel()))) {
            LOG.warn("usage: no price for model '{}' (upstream {}); its requests are recorded at cost 0 until a "
                    + "prices: line covers it", record.targetModel(), record.upstream());
        }
    }
}
