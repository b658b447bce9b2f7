package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.conversation.ConversationRequest;

import java.util.List;

/**
 * Credit balances: before a request is forwarded, its worst-case cost is held from the caller's
 * balance; when its ledger row commits, the hold is settled to the actual cost in the same transaction. Callers
 * without a credit limit (the local daemon's user) hold nothing.
 */
public interface Credits {

    /** No credit limit for anyone. */
    Credits NONE = (ctx, candidates, request) -> CreditHold.NONE;

    /**
     * Holds the request's worst-case cost, or refuses it with 402 when the balance cannot cover it.
     * Closing the hold gives back what no committed ledger row settled.
     */
    CreditHold reserve(RequestContext ctx, List<Route> candidates, ConversationRequest request);

    /**
     * The request with the output cap its hold is taken for, which is then the cap every provider receives: a
     * credit-limited caller's request without one gets the reserve's. Unlimited callers' requests are unchanged.
     */
    default ConversationRequest capped(RequestContext ctx, ConversationRequest request) {
        return request;
    }
}
