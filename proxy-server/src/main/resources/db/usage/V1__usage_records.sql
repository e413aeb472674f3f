-- claude-lb usage records. One migration set for SQLite and PostgreSQL: only types and statements both accept
-- (BIGINT, INTEGER, TEXT, composite primary keys, INSERT ... ON CONFLICT). Times are epoch milliseconds (UTC),
-- money is nano-dollars (1e-9 USD) so sums are exact integers.

-- One row per finished /v1/messages or /v1/messages/count_tokens request.
CREATE TABLE usage_records (
    request_id            TEXT    NOT NULL PRIMARY KEY, -- x-claude-lb-request-id
    ts                    BIGINT  NOT NULL,             -- when the request was received
    client                TEXT,                         -- client key name (null: no client keys)
    session_id            TEXT,                         -- Claude Code session (else metadata.user_id's, else client)
    upstream              TEXT,                         -- upstream of the last attempt (null: none was called)
    requested_model       TEXT,
    target_model          TEXT,                         -- the model the upstream ran: what the cost is priced on
    endpoint              TEXT    NOT NULL,             -- messages | count_tokens
    status                INTEGER NOT NULL,             -- what the client got (0: it left first)
    outcome               TEXT    NOT NULL,             -- completed | failed_mid_stream | client_aborted | cut_by_shutdown
    attempts              INTEGER NOT NULL,
    failovers             INTEGER NOT NULL,
    input_tokens          BIGINT  NOT NULL,             -- uncached input
    output_tokens         BIGINT  NOT NULL,
    cache_read_tokens     BIGINT  NOT NULL,
    cache_write_5m_tokens BIGINT  NOT NULL,
    cache_write_1h_tokens BIGINT  NOT NULL,
    cost_nanousd          BIGINT  NOT NULL,             -- 0 for coalesced followers and replays
    ttfb_us               BIGINT  NOT NULL,             -- -1: no byte reached the client
    duration_us           BIGINT  NOT NULL,
    coalescing            TEXT    NOT NULL              -- off | leader | follower | replay
);
CREATE INDEX usage_records_ts ON usage_records (ts);
CREATE INDEX usage_records_client_ts ON usage_records (client, ts);

-- Hourly totals, kept when retention deletes the rows they summarise. Written in the same transaction as the rows
-- (only for rows actually inserted), so they always agree with them.
CREATE TABLE usage_hourly (
    hour_start            BIGINT  NOT NULL,
    client                TEXT    NOT NULL,             -- '' for none
    target_model          TEXT    NOT NULL,
    upstream              TEXT    NOT NULL,
    requests              BIGINT  NOT NULL,             -- /v1/messages requests
    count_tokens_requests BIGINT  NOT NULL,
    errors                BIGINT  NOT NULL,
    coalesced             BIGINT  NOT NULL,
    failovers             BIGINT  NOT NULL,
    input_tokens          BIGINT  NOT NULL,             -- tokens of rows that called an upstream (billed tokens)
    output_tokens         BIGINT  NOT NULL,
    cache_read_tokens     BIGINT  NOT NULL,
    cache_write_5m_tokens BIGINT  NOT NULL,
    cache_write_1h_tokens BIGINT  NOT NULL,
    cost_nanousd          BIGINT  NOT NULL,
    PRIMARY KEY (hour_start, client, target_model, upstream)
);

-- Rows before purged_before are gone (only hourly totals remain); reports read those from usage_hourly.
CREATE TABLE usage_retention (
    id            INTEGER NOT NULL PRIMARY KEY,
    purged_before BIGINT  NOT NULL
);
INSERT INTO usage_retention (id, purged_before) VALUES (1, 0);
