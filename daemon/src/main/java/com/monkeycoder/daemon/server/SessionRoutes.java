package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.history.Conversations;
import com.monkeycoder.daemon.history.StoredConversation;
import com.monkeycoder.daemon.history.StoredMessage;
import com.monkeycoder.shared.wire.SessionDetail;
import com.monkeycoder.shared.wire.SessionList;
import com.monkeycoder.shared.wire.SessionMessage;
import com.monkeycoder.shared.wire.SessionSummary;
import io.undertow.server.RoutingHandler;

import java.sql.SQLException;
import java.util.List;

/**
 * {@code GET /v1/sessions}, {@code GET /v1/sessions/{id}} and {@code DELETE /v1/sessions/{id}}: the caller's stored
 * conversations (the local daemon's one user, or the account on a shared gateway). Another caller's id is a 404,
 * word for word the one a missing id gets.
 */
final class SessionRoutes {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final Conversations conversations;

    private SessionRoutes(Conversations conversations) {
        this.conversations = conversations;
    }

    static void addTo(RoutingHandler routes, Endpoint.Context ctx, Conversations conversations) {
        SessionRoutes r = new SessionRoutes(conversations);
        routes.get("/v1/sessions", new Endpoint(ctx, r::list, true, ErrorStyle.NATIVE, KeyScope.CHAT).browser())
                .get("/v1/sessions/{id}", new Endpoint(ctx, r::show, true, ErrorStyle.NATIVE, KeyScope.CHAT).browser())
                .delete("/v1/sessions/{id}", new Endpoint(ctx, r::delete, true, ErrorStyle.NATIVE, KeyScope.CHAT).browser());
    }

    private void list(HttpCall call) throws SQLException {
        int limit = limit(call.query("limit"));
        Long before = before(call.query("before"));
        List<StoredConversation> page = conversations.list(call.caller().userId(), limit, before);
        Long next = page.size() == limit ? page.getLast().updatedMs() : null;
        call.sendJson(200, new SessionList(page.stream().map(SessionRoutes::summary).toList(), next));
    }

    private void show(HttpCall call) throws SQLException {
        String id = call.pathParam("id");
        if (!Conversations.wellFormed(id)) {
            throw SessionHistory.notFound(id);
        }
        Conversations.Transcript t = conversations.transcript(call.caller().userId(), id)
                .orElseThrow(() -> SessionHistory.notFound(id));
        StoredConversation c = t.conversation();
        call.sendJson(200, new SessionDetail(c.id(), c.title(), c.model(), c.createdMs(), c.updatedMs(),
                c.messageCount(), t.messages().stream().map(SessionRoutes::message).toList()));
    }

    private void delete(HttpCall call) throws SQLException {
        String id = call.pathParam("id");
        if (!Conversations.wellFormed(id) || !conversations.delete(call.caller().userId(), id)) {
            throw SessionHistory.notFound(id);
        }
        call.sendEmpty(204);
    }

    private static SessionSummary summary(StoredConversation c) {
        return new SessionSummary(c.id(), c.title(), c.model(), c.createdMs(), c.updatedMs(), c.messageCount());
    }

    private static SessionMessage message(StoredMessage m) {
        return new SessionMessage(m.seq(), m.role().wire(), m.text(), m.model(), m.createdMs());
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.validation("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static Long before(String value) {
        if (value == null) {
            return null;
        }
        try {
            long before = Long.parseLong(value);
            if (before > 0) {
                return before;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.validation("before", "must be a positive whole number (an updated_ms of the previous page)");
    }
}
