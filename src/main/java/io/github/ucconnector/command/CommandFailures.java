package io.github.ucconnector.command;

import java.util.Arrays;

import io.github.ucconnector.api.Failure;
import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.api.FailureClassifier;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Predicate;
import org.apache.camel.util.ObjectHelper;

/**
 * What a command's failure means: what went wrong ({@link Failure}), whether trying the call again may succeed, and
 * whether the call may have had an effect at UltraCart. A rejected command never made a call.
 */
public final class CommandFailures {

    private final FailureClassifier classifier;

    public CommandFailures(FailureClassifier classifier) {
        this.classifier = classifier;
    }

    public Failure classify(Throwable thrown) {
        if (thrown instanceof CommandRejectedException rejected) {
            return new Failure(FailureCategory.INVALID_COMMAND, null, null, null, rejected.getMessage());
        }
        return classifier.classify(thrown);
    }

    /** See {@link FailureClassifier#mayHaveActed}; a rejected command made no call at all. */
    public static boolean mayHaveActed(Throwable thrown) {
        return !(thrown instanceof CommandRejectedException) && FailureClassifier.mayHaveActed(thrown);
    }

    /**
     * Whether the error handler may try the failed call again: only for failures that can succeed later, and for
     * a start only when its call certainly did not reach UltraCart.
     */
    public boolean retryMaySucceed(CommandFlow flow, Throwable thrown) {
        if (!classify(thrown).category().retryable()) {
            return false;
        }
        return flow == null || flow.type().safeToRepeat() || !mayHaveActed(thrown);
    }

    /**
     * A route predicate for the error handler: the failure being handled is one of these types, or was caused by
     * one. Lets the routes name what a failure means instead of Java class names.
     */
    @SafeVarargs
    public static Predicate causedBy(Class<? extends Throwable>... types) {
        return exchange -> Arrays.stream(types)
                .anyMatch(type -> ObjectHelper.getException(type, FailureClassifier.caught(exchange)) != null);
    }

    /** Step of the failure route: what went wrong, for the failed event, the dead letter and the log. */
    public void describe(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught) {
        flow.failed(classify(caught));
    }
}
