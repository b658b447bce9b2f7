package com.monkeycoder.daemon.providers;

/**
 * One provider's wire format. Adapters are stateless apart from their HTTP client and are shared by all
 * requests; they throw {@link ProviderException} before returning when the provider refuses a request,
 * so that nothing has been sent to the client yet and the gateway can still answer with a proper error.
 */
public interface ProviderAdapter {

    /** The provider's name as used in {@code provider/model} ids: {@code openai}, {@code groq}, {@code demo}... */
    String name();

    /** One request, one whole answer. */
    Completion complete(CompletionRequest request) throws ProviderException;

    /** One request, the answer as a stream of events; the call's HTTP status has been checked on return. */
    EventStream stream(CompletionRequest request) throws ProviderException;
}
