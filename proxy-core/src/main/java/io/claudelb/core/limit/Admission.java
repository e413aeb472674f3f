package io.claudelb.core.limit;

import java.util.Objects;

/** The verdict of {@link Limiter#admit}: a {@link Ticket} to finish when the request ends, or a {@link Refusal}. */
public final class Admission {
    private final Ticket ticket;
    private final Refusal refusal;

    private Admission(Ticket ticket, Refusal refusal) {
        this.ticket = ticket;
        this.refusal = refusal;
    }

    static Admission admitted(Ticket ticket) {
        return new Admission(Objects.requireNonNull(ticket, "ticket"), null);
    }

    static Admission refused(Refusal refusal) {
        return new Admission(null, Objects.requireNonNull(refusal, "refusal"));
    }

    public boolean admitted() {
        return ticket != null;
    }

    /** The admitted request's ticket (null when refused). */
    public Ticket ticket() {
        return ticket;
    }

    /** Why the request was refused (null when admitted). */
    public Refusal refusal() {
        return refusal;
    }
}
