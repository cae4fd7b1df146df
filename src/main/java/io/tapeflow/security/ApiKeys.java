package io.tapeflow.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The configured API keys, kept only as their SHA-256 hashes. A presented key is hashed and compared with every
 * configured hash in constant time ({@link MessageDigest#isEqual}), and always with all of them, so neither the
 * position of a mismatch nor which key matched shows in the response time.
 */
final class ApiKeys {

    private static final HexFormat HEX = HexFormat.of();

    private final List<byte[]> hashes;

    private ApiKeys(List<byte[]> hashes) {
        this.hashes = hashes;
    }

    /** Reads the configured hashes; a value that is not 64 hex digits stops the application at start. */
    static ApiKeys of(List<String> configured) {
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            String hex = configured.get(i).strip().toLowerCase(Locale.ROOT);
            if (hex.isEmpty()) {
                continue; // an empty environment variable means no key, not a broken one
            }
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("tapeflow.security.api-key-hashes[" + i + "] must be the 64 hex "
                        + "digits of a SHA-256 hash (printf %s \"$KEY\" | sha256sum), not the key itself");
            }
            hashes.add(HEX.parseHex(hex));
        }
        return new ApiKeys(List.copyOf(hashes));
    }

    boolean enabled() {
        return !hashes.isEmpty();
    }

    boolean matches(String key) {
        byte[] presented = sha256(key);
        boolean match = false;
        for (byte[] hash : hashes) {
            match |= MessageDigest.isEqual(hash, presented);
        }
        return match;
    }

    static String sha256Hex(String key) {
        return HEX.formatHex(sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
