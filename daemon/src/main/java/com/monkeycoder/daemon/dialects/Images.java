package com.monkeycoder.daemon.dialects;

import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.media.ImageRules;

import java.util.Base64;
import java.util.Locale;

/**
 * Images as clients send them: a {@code data:} URL or base64 with a media type (checked: JPEG, PNG, GIF or WebP,
 * at most 5 MiB, valid base64), or an https URL, which stays a URL for the provider or the gateway's
 * fetcher to deal with.
 */
public final class Images {

    private Images() {
    }

    /** An image from a URL as OpenAI's {@code image_url.url} carries it: data: or http(s). */
    public static Part.Image fromUrl(String url, String field) {
        if (url == null || url.isBlank()) {
            throw ApiError.validation(field, "must be a data: URL or an https URL");
        }
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = url.indexOf(',');
            String meta = comma < 0 ? "" : url.substring(5, comma);
            if (comma < 0 || !meta.toLowerCase(Locale.ROOT).endsWith(";base64")) {
                throw ApiError.validation(field, "must be a base64 data: URL (data:image/png;base64,...)");
            }
            return inline(meta.substring(0, meta.length() - 7), url.substring(comma + 1), field);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            throw ApiError.validation(field, "must be a data: URL or an https URL");
        }
        return Part.Image.byUrl(url);
    }

    /** An inline image, checked. */
    public static Part.Image inline(String mediaType, String base64, String field) {
        String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT).strip();
        if (!ImageRules.MEDIA_TYPES.contains(type)) {
            throw ApiError.validation(field, "has media type '" + mediaType + "'; supported: image/jpeg, image/png,"
                    + " image/gif, image/webp");
        }
        if (base64 == null || base64.isEmpty()) {
            throw ApiError.validation(field, "has no image data");
        }
        if ((long) base64.length() * 3 / 4 > ImageRules.MAX_BYTES) {
            throw ApiError.validation(field, "is larger than " + (ImageRules.MAX_BYTES / (1024 * 1024)) + " MiB");
        }
        try {
            Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ApiError.validation(field, "is not valid base64");
        }
        return new Part.Image(type, base64, null, null);
    }

    /** A data: URL for an inline image (OpenAI's way to send one). */
    public static String dataUrl(Part.Image image) {
        return "data:" + image.mediaType() + ";base64," + image.data();
    }
}
