package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.catalog.ModelCatalog;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.history.ConversationNotFound;
import com.monkeycoder.daemon.history.Conversations;
import com.monkeycoder.daemon.routing.Outcome;
import com.monkeycoder.daemon.routing.Route;

import java.sql.SQLException;

/**
 * Where the ingress pipeline meets stored conversations: a request naming a {@code session_id} is resumed before
 * it is dispatched (its history put before its messages, the headers saying how much went) and its final answer
 * recorded after the ledger has it and before the client's last byte. Another caller's id is answered exactly as a
 * missing one is on {@code GET /v1/sessions/{id}}.
 */
final class SessionHistory {

    static final String SESSION_HEADER = "X-Monkey-Session";
    static final String HISTORY_HEADER = "X-Monkey-History";

    private static final System.Logger LOG = System.getLogger(SessionHistory.class.getName());

    private final Conversations conversations;
    private final ModelCatalog catalog;
    private final long defaultOutputCap;

    /**
     * @param defaultOutputCap the output tokens room is kept for when a request sets no cap (the credit reserve's,
     *                         {@code reserve_max_tokens})
     */
    SessionHistory(Conversations conversations, ModelCatalog catalog, long defaultOutputCap) {
        this.conversations = conversations;
        this.catalog = catalog;
        this.defaultOutputCap = defaultOutputCap;
    }

    /**
     * {@code request} with its stored history, sized for {@code route}'s model (the first candidate); the request
     * itself when it names no session. Sets the session headers.
     */
    ConversationRequest resume(HttpCall call, String sessionId, ConversationRequest request, Route route)
            throws SQLException {
        if (sessionId == null) {
            return request;
        }
        Conversations.Resumed resumed;
        try {
            resumed = conversations.resume(call.caller().userId(), sessionId, request, route.model().contextWindow(),
                    outputCap(request, route));
        } catch (ConversationNotFound e) {
            throw notFound(sessionId);
        }
        call.setHeader(SESSION_HEADER, sessionId);
        call.setHeader(HISTORY_HEADER, "kept=" + resumed.kept() + " dropped=" + resumed.dropped());
        return resumed.request();
    }

    /** The output the model may write: the request's cap (or the reserve's), at most what the model can write. */
    private long outputCap(ConversationRequest request, Route route) {
        long asked = request.maxOutputTokens() != null ? request.maxOutputTokens() : defaultOutputCap;
        Integer most = catalog.traits(route.model()).maxOutputTokens();
        return most == null ? asked : Math.min(asked, most);
    }

    /**
     * Stores the exchange of a request that named a session and got its final answer. The answer is the client's
     * whatever happens here: a store that fails is logged, never turned into an error after the fact.
     *
     * @param asked the request as the client sent it, without its history
     */
    void record(Caller caller, String sessionId, ConversationRequest asked, Outcome outcome) {
        // A cached answer costs nothing, so storing it would let a caller fill the database for free (the same
        // large task again and again); only answers a provider was paid for join a conversation.
        if (sessionId == null || outcome.cached()) {
            return;
        }
        try {
            conversations.record(caller.userId(), sessionId, asked, outcome.answer(), outcome.model().qualifiedId());
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "session " + sessionId + ": the answer could not be stored ("
                    + e.getMessage() + ")");
        }
    }

    /** The one 404 of a session the caller does not have, whether no one or someone else has it. */
    static ApiError notFound(String sessionId) {
        return ApiError.notFound("no session " + sessionId);
    }
}
