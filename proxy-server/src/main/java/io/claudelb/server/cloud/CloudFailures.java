package io.claudelb.server.cloud;

import io.claudelb.codec.cloud.BedrockErrors;
import io.claudelb.codec.cloud.BedrockStreamException;
import io.claudelb.core.health.FailureClassifier;
import io.claudelb.core.health.FailureKind;

/**
 * The failure kinds of the cloud kinds' answers, through the snapshot's {@link FailureClassifier} so that
 * {@code health.extra_failure_statuses} and body patterns apply as to any upstream. Null means a client error: the
 * answer goes to the client, nothing is counted or failed over.
 * <ul>
 *   <li>Bedrock HTTP error: the status its {@code x-amzn-ErrorType} stands for when it names one (a
 *       {@code ModelErrorException}'s 424 is the model's failure, 502; a throttling 429 stays 429), else its own
 *       status; so 429 cools the upstream down (with its {@code retry-after}), 5xx fail over, 400
 *       {@code ValidationException} is the client's, 403 is claude-lb's credential.</li>
 *   <li>Bedrock exception frame before the first byte: the status the exception stands for, the same way:
 *       {@code throttlingException} 429, {@code serviceUnavailableException} 503, {@code internalServerException}
 *       and {@code modelStreamErrorException} 500, {@code modelTimeoutException} 408 (all fail over),
 *       {@code validationException} 400 (the client's: answer it with {@link BedrockStreamException#status()} and an
 *       Anthropic error of {@link BedrockStreamException#errorType()}). When a failure leaves no other upstream to
 *       try and this was the only attempt, the client is answered the same way, as with an upstream's own error
 *       answer (a 429 for throttling, not claude-lb's all-failed 503), except for claude-lb's refused credential
 *       (403). After the first byte it is already in the stream as one {@code event: error}.</li>
 *   <li>Vertex HTTP error: its own status (429 {@code RESOURCE_EXHAUSTED} is a regional quota: cooldown).</li>
 * </ul>
 */
public final class CloudFailures {
    private CloudFailures() {
    }

    /** The failure kind of a Bedrock HTTP error, or null for a client error. */
    public static FailureKind bedrockStatus(FailureClassifier classifier, int status, String errorTypeHeader,
                                            String bodyPrefix) {
        return classifier.classify(bedrockJudgedStatus(status, errorTypeHeader), bodyPrefix);
    }

    /**
     * The status a Bedrock HTTP error stands for: the one its {@code x-amzn-ErrorType} names (a 424
     * {@code ModelErrorException} is a 502), else Bedrock's own.
     */
    public static int bedrockJudgedStatus(int status, String errorTypeHeader) {
        String type = BedrockErrors.typeOfHeader(errorTypeHeader);
        int effective = type != null ? BedrockErrors.statusOf(type) : status;
        if (type != null && effective == 500 && status != 500) {
            // An exception type we do not know: Bedrock's own status says more than our default.
            effective = status;
        }
        return effective;
    }

    /** The failure kind of an exception frame seen before the first byte, or null when it is the client's (400). */
    public static FailureKind bedrockStream(FailureClassifier classifier, BedrockStreamException exception) {
        return classifier.classifyStatus(exception.status());
    }

    /** The failure kind of a Vertex HTTP error, or null for a client error. */
    public static FailureKind vertexStatus(FailureClassifier classifier, int status, String bodyPrefix) {
        return classifier.classify(status, bodyPrefix);
    }
}
