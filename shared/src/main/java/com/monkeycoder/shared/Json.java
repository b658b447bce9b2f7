package com.monkeycoder.shared;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MutableCoercionConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.UncheckedIOException;

/**
 * The one JSON set-up of the codebase: snake_case field names (the wire contract of the README ("Errors")),
 * nulls left out, unknown fields ignored so that newer clients and servers stay compatible.
 *
 * <p>Jackson's buffers are recycled through one shared pool rather than its default per-thread one: the gateway
 * runs each request on a new virtual thread, so a per-thread pool never reuses anything and every request
 * allocated fresh parser and generator buffers (about 30 kB), held for as long as a stream stays open.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .withCoercionConfig(LogicalType.Textual, failFrom(CoercionInputShape.Integer, CoercionInputShape.Float,
                    CoercionInputShape.Boolean))
            .withCoercionConfig(LogicalType.Boolean, failFrom(CoercionInputShape.Integer, CoercionInputShape.Float,
                    CoercionInputShape.String))
            .withCoercionConfig(LogicalType.Integer, failFrom(CoercionInputShape.Float, CoercionInputShape.String,
                    CoercionInputShape.Boolean))
            .withCoercionConfig(LogicalType.Float, failFrom(CoercionInputShape.String, CoercionInputShape.Boolean))
            .build();

    /** A number where text belongs (or text where a number belongs) is a client's mistake, not something to guess. */
    private static java.util.function.Consumer<MutableCoercionConfig> failFrom(CoercionInputShape... shapes) {
        return config -> {
            for (CoercionInputShape shape : shapes) {
                config.setCoercion(shape, CoercionAction.Fail);
            }
        };
    }

    private Json() {
    }

    /** The shared, thread-safe mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serialises a value that is known to be serialisable (our own records and trees). */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serialises to UTF-8 bytes. */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
