package com.monkeycoder.daemon.media;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.errors.ApiError;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Fetches an image a client gave by URL, for providers that only take inline images (Gemini), as safely as a
 * server fetching on a stranger's behalf must:
 * <ul>
 *   <li>https only (plain http would let anyone on the path swap the image, and providers that take URLs want
 *   https too); tests may allow http, since a TLS test server needs certificates the build does not have;</li>
 *   <li>the host is resolved once and every address it resolves to must pass the {@link AddressPolicy} (public
 *   addresses only in production); the connection then goes to exactly those addresses, never through a proxy,
 *   so a DNS answer that changes between the check and the connect (rebinding) cannot reach anything else;</li>
 *   <li>redirects are followed by hand, at most {@value #MAX_REDIRECTS}, each target checked like the first URL;</li>
 *   <li>connect within 5 s, the whole fetch (every hop and the body) within 10 s;</li>
 *   <li>at most {@link Images#MAX_BYTES}, checked on Content-Length and on the bytes actually read;</li>
 *   <li>JPEG, PNG, GIF or WebP by their magic bytes; a Content-Type naming anything else is refused before the
 *   body is read, a missing or generic one ({@code application/octet-stream}) is fine if the bytes are an image.</li>
 * </ul>
 * Every refusal is an {@link ApiError#validation} (422) naming {@value #FIELD}: the client's request is at fault and
 * no provider is asked. A fetched image is kept for a minute per URL, so that a retry or a failover to another
 * candidate of the same request does not fetch it again.
 */
public final class ImageFetcher {

    public static final String FIELD = "image url";
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_REDIRECTS = 3;
    private static final Duration CACHE_TTL = Duration.ofSeconds(60);
    private static final long CACHE_BYTES = 64L * 1024 * 1024;
    /** Content types that say nothing about the bytes: the bytes decide. */
    private static final Set<String> GENERIC = Set.of("application/octet-stream", "binary/octet-stream",
            "application/binary", "application/unknown");

    /** Name resolution, replaceable in tests. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;

        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    }

    private final OkHttpClient base;
    private final AddressPolicy policy;
    private final Resolver resolver;
    private final boolean allowHttp;
    private final Duration callTimeout;
    private final long maxBytes;
    private final Cache<String, Part.Image> cache;

    /** The production fetcher: public addresses, https, the timeouts and limits above. */
    public ImageFetcher(OkHttpClient shared) {
        this(shared, AddressPolicy.publicOnly(), Resolver.SYSTEM, false, CONNECT_TIMEOUT, CALL_TIMEOUT,
                ImageRules.MAX_BYTES, CACHE_TTL);
    }

    /**
     * @param shared   the gateway's client, whose connection pool and dispatcher are reused; its proxy, redirect and
     *                 timeout settings are not
     * @param policy   which resolved addresses may be connected to
     * @param allowHttp whether plain http URLs are fetched (tests only)
     * @param cacheTtl how long a fetched image is kept per URL; zero for no cache
     */
    public ImageFetcher(OkHttpClient shared, AddressPolicy policy, Resolver resolver, boolean allowHttp,
                        Duration connectTimeout, Duration callTimeout, long maxBytes, Duration cacheTtl) {
        this.base = shared.newBuilder()
                .proxy(Proxy.NO_PROXY) // a proxy would resolve the host itself, past the address check
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .cache(null)
                .connectTimeout(connectTimeout)
                .readTimeout(callTimeout)
                .writeTimeout(callTimeout)
                .build();
        this.policy = policy;
        this.resolver = resolver;
        this.allowHttp = allowHttp;
        this.callTimeout = callTimeout;
        this.maxBytes = maxBytes;
        this.cache = cacheTtl.isZero() ? null : Caffeine.newBuilder()
                .expireAfterWrite(cacheTtl)
                .maximumWeight(CACHE_BYTES)
                .weigher((String url, Part.Image image) -> url.length() + image.data().length())
                .build();
    }

    /** The image at {@code url}, inline; a 422 {@link ApiError} when it cannot or may not be fetched. */
    public Part.Image fetch(String url) {
        Part.Image known = cache == null ? null : cache.getIfPresent(url);
        if (known != null) {
            return known;
        }
        Part.Image image = load(url);
        if (cache != null) {
            cache.put(url, image);
        }
        return image;
    }

    private Part.Image load(String url) {
        HttpUrl current = url == null ? null : HttpUrl.parse(url);
        if (current == null) {
            throw refused("is not a valid http(s) URL");
        }
        long deadline = System.nanoTime() + callTimeout.toNanos();
        for (int hop = 0; ; hop++) {
            checkScheme(current);
            List<InetAddress> vetted = vet(current.host());
            OkHttpClient pinned = base.newBuilder().dns(host -> vetted).build();
            Call call = pinned.newCall(new Request.Builder().url(current).get()
                    .header("Accept", "image/jpeg, image/png, image/gif, image/webp")
                    .header("User-Agent", "monkey-coder-gateway (image fetch)")
                    .build());
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timedOut();
            }
            call.timeout().timeout(remaining, TimeUnit.NANOSECONDS);
            try (Response response = call.execute()) {
                if (response.isRedirect()) {
                    if (hop >= MAX_REDIRECTS) {
                        throw refused("redirects more than " + MAX_REDIRECTS + " times");
                    }
                    String location = response.header("Location");
                    HttpUrl next = location == null ? null : current.resolve(location);
                    if (next == null) {
                        throw refused("redirects to an invalid location");
                    }
                    current = next;
                    continue;
                }
                if (!response.isSuccessful()) {
                    throw refused("could not be fetched: " + current.host() + " answered HTTP " + response.code());
                }
                return read(response.body());
            } catch (InterruptedIOException e) {
                throw timedOut();
            } catch (IOException e) {
                throw refused("could not be fetched from " + current.host() + ": " + e.getClass().getSimpleName());
            }
        }
    }

    private void checkScheme(HttpUrl url) {
        if (!url.isHttps() && !allowHttp) {
            throw refused("must be an https URL for this provider, which takes images inline: the gateway fetches"
                    + " them over https only");
        }
    }

    /** The host's addresses, resolved once; every one must pass the policy. */
    private List<InetAddress> vet(String host) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException | SecurityException e) {
            throw refused("names a host that does not resolve: " + host);
        }
        if (addresses == null || addresses.isEmpty()) {
            throw refused("names a host that does not resolve: " + host);
        }
        for (InetAddress a : addresses) {
            if (!policy.allows(a)) {
                // which address is not said: that would tell a client how internal names resolve
                throw refused("points to a private, local or reserved address (" + host + "); the gateway only"
                        + " fetches images from public addresses");
            }
        }
        return List.copyOf(addresses);
    }

    private Part.Image read(ResponseBody body) throws IOException {
        if (body == null) {
            throw refused("answered with no body");
        }
        MediaType declared = body.contentType();
        String type = declared == null ? null : (declared.type() + "/" + declared.subtype()).toLowerCase(Locale.ROOT);
        if (type != null && !ImageRules.MEDIA_TYPES.contains(type) && !GENERIC.contains(type)) {
            throw refused("is " + type + ", not an image the providers take (JPEG, PNG, GIF or WebP)");
        }
        if (body.contentLength() > maxBytes) {
            throw tooLarge();
        }
        BufferedSource source = body.source();
        Buffer bytes = new Buffer();
        while (source.read(bytes, 8192) != -1) {
            if (bytes.size() > maxBytes) {
                throw tooLarge();
            }
        }
        byte[] data = bytes.readByteArray();
        String sniffed = sniff(data);
        if (sniffed == null) {
            throw refused("is not a JPEG, PNG, GIF or WebP image" + (data.length == 0 ? " (empty body)" : ""));
        }
        // the bytes, not the header, say what it is: that is what the provider will check
        return Part.Image.inline(sniffed, Base64.getEncoder().encodeToString(data));
    }

    /** The media type the magic bytes say, or null when they are not one of {@link Images#MEDIA_TYPES}. */
    static String sniff(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
            return "image/png";
        }
        if (startsWith(b, 0, 0xff, 0xd8, 0xff)) {
            return "image/jpeg";
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(b, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return "image/gif";
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int at, int... magic) {
        if (b.length < at + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[at + i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private ApiError tooLarge() {
        long mib = 1024 * 1024;
        return refused("is larger than " + (maxBytes % mib == 0 ? maxBytes / mib + " MiB" : maxBytes + " bytes"));
    }

    private ApiError timedOut() {
        long ms = callTimeout.toMillis();
        return refused("could not be fetched within " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms"));
    }

    private static ApiError refused(String problem) {
        return ApiError.validation(FIELD, problem);
    }
}
