package com.monkeycoder.daemon.providers;

import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.WireFamily;

import java.util.List;

/**
 * One provider's wire format, mapping the canonical conversation both ways. Adapters are stateless apart from
 * their HTTP client and are shared by all requests; they throw {@link ProviderException} before returning when
 * the provider refuses a request, so that nothing has been sent to the client yet and the gateway can still
 * answer with a proper error.
 */
public interface ProviderAdapter {

    /** The provider's name as used in {@code provider/model} ids: {@code openai}, {@code groq}, {@code demo}... */
    String name();

    /** The wire format it speaks, so a request from the same family can keep what the canonical model does not know. */
    WireFamily family();

    /** One request, one whole answer. */
    Answer complete(ConversationRequest request) throws ProviderException;

    /** One request, the answer as a stream of events; the call's HTTP status has been checked on return. */
    EventStream stream(ConversationRequest request) throws ProviderException;

    /**
     * What of {@code request} this adapter cannot express and leaves out (field names as the client sent them), so
     * the response can say so ({@code X-Monkey-Dropped}). By default: everything a client of another family sent
     * that the canonical model does not know.
     */
    /**
     * The request's input tokens as the provider counts them, when it offers counting (Anthropic does); empty
     * when it does not, and the gateway estimates instead.
     */
    default java.util.OptionalLong countTokens(ConversationRequest request) throws ProviderException {
        return java.util.OptionalLong.empty();
    }

    /**
     * Calls the provider's cheapest authenticated route, its model list, within {@code timeout}: returns true when
     * the provider took the key, false when this provider has no such route (nothing was sent), and throws as a
     * request would when it did not answer or refused the key ({@code AUTH_REFUSED}, {@code NETWORK}, {@code TIMEOUT}).
     * It costs no tokens, which is why {@code monkey doctor} checks keys this way.
     */
    default boolean checkKey(java.time.Duration timeout) throws ProviderException {
        return false;
    }

    default List<String> dropped(ConversationRequest request) {
        return request.passthrough().family() == family() ? List.of() : request.passthrough().fieldNames();
    }
}
